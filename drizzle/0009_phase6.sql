CREATE INDEX "attachments_sha256_idx" ON "attachments" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "inbound_mail_raw_sha256_idx" ON "inbound_mail" USING btree ("raw_sha256");--> statement-breakpoint
CREATE INDEX "sla_clocks_running_due_idx" ON "sla_clocks" USING btree ("due_at") WHERE "sla_clocks"."state" = 'running';--> statement-breakpoint
CREATE INDEX "sla_clocks_breached_idx" ON "sla_clocks" USING btree ("breached_at") WHERE "sla_clocks"."breached_at" is not null;