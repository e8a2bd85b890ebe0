CREATE INDEX "messages_search_idx" ON "messages" USING gin (to_tsvector('simple', "body"));--> statement-breakpoint
CREATE INDEX "sla_clocks_live_due_idx" ON "sla_clocks" USING btree ("ticket_id","due_at") WHERE "sla_clocks"."stopped_at" is null;--> statement-breakpoint
CREATE INDEX "sla_clocks_due_order_idx" ON "sla_clocks" USING btree ("due_at") WHERE "sla_clocks"."stopped_at" is null and "sla_clocks"."due_at" is not null;--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at","number");--> statement-breakpoint
CREATE INDEX "tickets_priority_rank_idx" ON "tickets" USING btree ((case "priority" when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end),"number");--> statement-breakpoint
CREATE INDEX "tickets_tags_idx" ON "tickets" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "tickets_search_idx" ON "tickets" USING gin (to_tsvector('simple', "subject" || ' ' || "description"));