CREATE INDEX "attachments_sha256_idx" ON "attachments" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "inbound_mail_raw_sha256_idx" ON "inbound_mail" USING btree ("raw_sha256");