import { eq } from "drizzle-orm";
import { teams, tickets, webhookSubscriptions, type WebhookSubscription } from "../../db/schema.js";
import type { Tx } from "../../db/store.js";
import type { DeliveryPlanner, OutboxMessage, PlannedDelivery } from "../../outbox/types.js";
import { isUuid } from "../../domain/ids.js";
import { isSubscribed } from "./events.js";
import { renderWebhookBody, type WebhookEnvelope, type WebhookTicket } from "./render.js";


/** The idempotency key of the delivery of one outbox message to one subscription; also the body's `id`. */
export const webhookDeliveryKey = (outboxId: number, subscriptionId: string) => `webhook:${outboxId}:${subscriptionId}`;

/**
 * Plans one delivery per active subscription whose events filter takes the message's topic. The body is
 * rendered now, so every attempt sends the same bytes; it is signed when sent. `publicUrl` makes the
 * ticket links.
 */
export function createWebhookPlanner(opts: { publicUrl: string }): DeliveryPlanner {
  // A fan-out batch offers many messages in one transaction: the subscriptions are read once per batch.
  const subscriptionsOf = new WeakMap<Tx, Promise<WebhookSubscription[]>>();
  const base = opts.publicUrl.replace(/\/+$/, "");

  return async (tx: Tx, message: OutboxMessage): Promise<PlannedDelivery[]> => {
    let active = subscriptionsOf.get(tx);
    if (!active) {
      active = tx.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.active, true));
      subscriptionsOf.set(tx, active);
    }
    const matching = (await active).filter((s) => isSubscribed(s.events, message.topic));
    if (matching.length === 0) return [];

    const ticket = await ticketOf(tx, message.payload.ticketId, base);
    const data: WebhookEnvelope["data"] = { ...message.payload, ...(ticket ? { ticket } : {}) };
    return matching.map((s) => {
      const key = webhookDeliveryKey(message.id, s.id);
      const envelope: WebhookEnvelope = { id: key, type: message.topic, createdAt: message.createdAt.toISOString(), data };
      return {
        channel: "webhook" as const,
        topic: message.topic,
        destination: s.url,
        key,
        payload: { format: s.format, body: renderWebhookBody(s.format, envelope) },
        ticketId: ticket?.id ?? null,
        subscriptionId: s.id,
      };
    });
  };
}

async function ticketOf(tx: Tx, ticketId: unknown, base: string): Promise<WebhookTicket | null> {
  if (!isUuid(ticketId)) return null;
  const [row] = await tx
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      teamId: teams.id,
      teamName: teams.name,
    })
    .from(tickets)
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .where(eq(tickets.id, ticketId));
  if (!row) return null;
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    team: row.teamId && row.teamName ? { id: row.teamId, name: row.teamName } : null,
    url: `${base}/tickets/${row.number}`,
  };
}
