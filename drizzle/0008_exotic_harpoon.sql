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
DROP INDEX "attachments_ticket_idx";--> statement-breakpoint
ALTER TABLE "attachments" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD COLUMN "raw_sha256" text;--> statement-breakpoint
ALTER TABLE "inbound_mail" ADD COLUMN "raw_size" integer;--> statement-breakpoint
CREATE INDEX "attachments_ticket_idx" ON "attachments" USING btree ("ticket_id","position");--> statement-breakpoint
UPDATE "attachments" AS a SET "position" = o.n FROM (SELECT "id", (row_number() OVER (PARTITION BY "ticket_id" ORDER BY "created_at", "id") - 1)::int AS n FROM "attachments") AS o WHERE o."id" = a."id";
