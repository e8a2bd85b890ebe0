ALTER TABLE "approvals" ADD COLUMN "granted_before" jsonb;--> statement-breakpoint
ALTER TABLE "teams" ADD COLUMN "categories" text[] DEFAULT '{}'::text[] NOT NULL;