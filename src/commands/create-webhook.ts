import { webhookSubscriptions, type WebhookSubscription } from "../db/schema.js";
import { generateWebhookSecret } from "../channels/webhooks/secret.js";
import { authorizeWebhooks } from "../policies/delivery.policy.js";
import type { CreateWebhookInput } from "../schemas/webhook.schemas.js";
import type { CommandContext } from "./context.js";

/**
 * Subscribes a URL to outbox topics (admins only). The signing secret is the caller's or a new random one;
 * it is returned here once and never shown again.
 */
export async function createWebhook(ctx: CommandContext, input: CreateWebhookInput): Promise<{ webhook: WebhookSubscription; secret: string }> {
  authorizeWebhooks(ctx.actor);
  const now = ctx.clock.now();
  const secret = input.secret ?? generateWebhookSecret();
  const [webhook] = await ctx.db
    .insert(webhookSubscriptions)
    .values({
      name: input.name,
      url: input.url,
      events: input.events,
      format: input.format,
      active: input.active,
      secret,
      createdById: ctx.actor.kind === "agent" ? ctx.actor.id : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return { webhook: webhook!, secret };
}
