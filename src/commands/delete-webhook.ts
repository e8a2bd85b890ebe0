import { and, eq } from "drizzle-orm";
import { deliveries, webhookSubscriptions } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeWebhooks } from "../policies/delivery.policy.js";
import type { CommandContext } from "./context.js";

/**
 * Deletes a webhook (admins only). Its deliveries stay in the log (no longer linked to it); those still
 * pending are given up in the same transaction, so nothing is sent for it afterwards.
 */
export async function deleteWebhook(ctx: CommandContext, webhookId: string): Promise<void> {
  authorizeWebhooks(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const [found] = await tx.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, webhookId)).for("update");
    if (!found) throw notFound("webhook_not_found", "Webhook", webhookId);
    await tx
      .update(deliveries)
      .set({ status: "dead", lockedUntil: null, lastError: "the webhook was deleted" })
      .where(and(eq(deliveries.subscriptionId, webhookId), eq(deliveries.status, "pending")));
    await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, webhookId));
  });
}
