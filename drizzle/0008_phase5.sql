CREATE TABLE "blob_chunks" (
	"key" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blob_chunks_key_seq_pk" PRIMARY KEY("key","seq")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "chat_verifications_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "sla_clocks" DROP CONSTRAINT "sla_clocks_state_check";--> statement-breakpoint
DROP INDEX "attachments_ticket_idx";--> statement-breakpoint
DROP INDEX "customers_email_key";--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "granted_before" jsonb;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "unverified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD COLUMN "raw_sha256" text;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD COLUMN "raw_size" integer;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "resolution_counts_as_response" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "categories" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "description_html" text;--> statement-breakpoint
ALTER TABLE "chat_verifications" ADD CONSTRAINT "chat_verifications_conversation_id_chat_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."chat_conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_verifications_email_idx" ON "chat_verifications" USING btree (lower("email"),"created_at");--> statement-breakpoint
CREATE INDEX "chat_verifications_conversation_idx" ON "chat_verifications" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "attachments_ticket_idx" ON "attachments" USING btree ("ticket_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_email_key" ON "customers" USING btree (lower("email")) WHERE not "customers"."unverified";--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_state_check" CHECK ("sla_clocks"."state" in ('running','paused','met','breached','cancelled'));--> statement-breakpoint
UPDATE "attachments" AS a SET "position" = o.n FROM (SELECT "id", (row_number() OVER (PARTITION BY "ticket_id" ORDER BY "created_at", "id") - 1)::int AS n FROM "attachments") AS o WHERE o."id" = a."id";
