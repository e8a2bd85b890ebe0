import { and, eq, type SQL } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { deliveries, tickets, type Delivery, type DeliveryChannel, type DeliveryStatus } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeDeliveryLog, authorizeTicketDeliveries } from "../policies/delivery.policy.js";
import { visibleTicketById } from "../policies/ticket.policy.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

export type DeliveryFilter = PageInput & {
  status?: DeliveryStatus | undefined;
  channel?: DeliveryChannel | undefined;
  ticketId?: string | undefined;
  webhookId?: string | undefined;
};

/** Deliveries, newest first, filtered (managers and admins). */
export async function listDeliveries(ctx: CommandContext, q: DeliveryFilter): Promise<Page<Delivery>> {
  authorizeDeliveryLog(ctx.actor);
  return newestFirst(ctx, q, [
    q.status ? eq(deliveries.status, q.status) : undefined,
    q.channel ? eq(deliveries.channel, q.channel) : undefined,
    q.ticketId ? eq(deliveries.ticketId, q.ticketId) : undefined,
    q.webhookId ? eq(deliveries.subscriptionId, q.webhookId) : undefined,
  ]);
}

export async function getDelivery(ctx: CommandContext, deliveryId: number): Promise<Delivery> {
  authorizeDeliveryLog(ctx.actor);
  const [row] = await ctx.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  if (!row) throw notFound("delivery_not_found", "Delivery", String(deliveryId));
  return row;
}

/** One ticket's deliveries, newest first, for staff who may see the ticket (others: 404, as for the ticket). */
export async function listTicketDeliveries(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<Delivery>> {
  authorizeTicketDeliveries(ctx.actor);
  const [ticket] = await ctx.db.select({ id: tickets.id }).from(tickets).where(visibleTicketById(ctx.actor, ticketId));
  if (!ticket) throw notFound("ticket_not_found", "Ticket", ticketId);
  return newestFirst(ctx, q, [eq(deliveries.ticketId, ticketId)]);
}

async function newestFirst(ctx: CommandContext, q: PageInput, conditions: (SQL | undefined)[]): Promise<Page<Delivery>> {
  return pageInOrder(
    q,
    "n",
    [deliveries.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(deliveries)
        .where(and(...conditions, after))
        .orderBy(...order)
        .limit(limit),
    (d) => [d.id],
    "desc",
  );
}
