import { eq } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { webhookSubscriptions, type WebhookSubscription } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeWebhooks } from "../policies/delivery.policy.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** The webhooks by name (admins). */
export async function listWebhooks(ctx: CommandContext, q: PageInput): Promise<Page<WebhookSubscription>> {
  authorizeWebhooks(ctx.actor);
  return pageInOrder(
    q,
    "su",
    [webhookSubscriptions.name, webhookSubscriptions.id],
    (after, order, limit) => ctx.db.select().from(webhookSubscriptions).where(after).orderBy(...order).limit(limit),
    (w) => [w.name, w.id],
  );
}

export async function getWebhook(ctx: CommandContext, webhookId: string): Promise<WebhookSubscription> {
  authorizeWebhooks(ctx.actor);
  const [row] = await ctx.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, webhookId));
  if (!row) throw notFound("webhook_not_found", "Webhook", webhookId);
  return row;
}
