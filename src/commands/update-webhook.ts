import { and, eq } from "drizzle-orm";
import { deliveries, webhookSubscriptions, type WebhookSubscription } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeWebhooks } from "../policies/delivery.policy.js";
import type { UpdateWebhookInput } from "../schemas/webhook.schemas.js";
import type { CommandContext } from "./context.js";

/**
 * Changes a webhook (admins only). A new URL also becomes the destination of its deliveries still
 * pending, which the sender posts to the current URL: fixing a wrong URL lets the retries through.
 */
export async function updateWebhook(ctx: CommandContext, webhookId: string, input: UpdateWebhookInput): Promise<WebhookSubscription> {
  authorizeWebhooks(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookSubscriptions)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(eq(webhookSubscriptions.id, webhookId))
      .returning();
    if (!updated) throw notFound("webhook_not_found", "Webhook", webhookId);
    if (input.url !== undefined) {
      await tx
        .update(deliveries)
        .set({ destination: input.url })
        .where(and(eq(deliveries.subscriptionId, webhookId), eq(deliveries.status, "pending")));
    }
    return updated;
  });
}
