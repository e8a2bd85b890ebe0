ALTER TABLE "sla_clocks" DROP CONSTRAINT "sla_clocks_state_check";--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "resolution_counts_as_response" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_clocks" ADD CONSTRAINT "sla_clocks_state_check" CHECK ("sla_clocks"."state" in ('running','paused','met','breached','cancelled'));