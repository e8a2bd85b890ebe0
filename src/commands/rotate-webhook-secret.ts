import { eq } from "drizzle-orm";
import { webhookSubscriptions, type WebhookSubscription } from "../db/schema.js";
import { generateWebhookSecret } from "../channels/webhooks/secret.js";
import { notFound } from "../domain/errors.js";
import { authorizeWebhooks } from "../policies/delivery.policy.js";
import type { RotateSecretInput } from "../schemas/webhook.schemas.js";
import type { CommandContext } from "./context.js";

/**
 * Replaces a webhook's signing secret (admins only) with the given or a new random one, returned once.
 * Every send from now on, retries of earlier deliveries included, is signed with the new secret.
 */
export async function rotateWebhookSecret(
  ctx: CommandContext,
  webhookId: string,
  input: RotateSecretInput,
): Promise<{ webhook: WebhookSubscription; secret: string }> {
  authorizeWebhooks(ctx.actor);
  const secret = input.secret ?? generateWebhookSecret();
  const [webhook] = await ctx.db
    .update(webhookSubscriptions)
    .set({ secret, updatedAt: ctx.clock.now() })
    .where(eq(webhookSubscriptions.id, webhookId))
    .returning();
  if (!webhook) throw notFound("webhook_not_found", "Webhook", webhookId);
  return { webhook, secret };
}
