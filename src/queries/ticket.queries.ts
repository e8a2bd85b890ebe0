import { and, eq, ne, type SQL } from "drizzle-orm";
import { escalations, events, messages, tickets, type Escalation, type Message, type Ticket, type TicketEvent } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { ticketVisibility, visibleTicketById } from "../policies/ticket.policy.js";
import type { TicketListInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** Tickets the actor can see, newest first, filtered by the given fields. */
export async function listTickets(ctx: CommandContext, q: TicketListInput): Promise<Page<Ticket>> {
  return pageInOrder(
    q,
    "n",
    [tickets.number],
    (after, order, limit) => {
      const filters: (SQL | undefined)[] = [
        ticketVisibility(ctx.actor),
        q.status ? eq(tickets.status, q.status) : undefined,
        q.levelId ? eq(tickets.levelId, q.levelId) : undefined,
        q.teamId ? eq(tickets.teamId, q.teamId) : undefined,
        q.priority ? eq(tickets.priority, q.priority) : undefined,
        q.assigneeId ? eq(tickets.assigneeId, q.assigneeId) : undefined,
        q.customerId ? eq(tickets.customerId, q.customerId) : undefined,
        after,
      ];
      return ctx.db
        .select()
        .from(tickets)
        .where(and(...filters))
        .orderBy(...order)
        .limit(limit);
    },
    (t) => [t.number],
    "desc",
  );
}

/** One ticket, if the actor can see it. */
export async function getTicket(ctx: CommandContext, ticketId: string): Promise<Ticket> {
  const [ticket] = await ctx.db.select().from(tickets).where(visibleTicketById(ctx.actor, ticketId));
  if (!ticket) throw notFound("ticket_not_found", "Ticket", ticketId);
  return ticket;
}

/** A ticket's messages, oldest first; customers do not see internal notes. */
export async function listMessages(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<Message>> {
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "tu",
    [messages.createdAt, messages.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(messages)
        .where(and(eq(messages.ticketId, ticketId), ctx.actor.kind === "customer" ? ne(messages.kind, "internal") : undefined, after))
        .orderBy(...order)
        .limit(limit),
    (m) => [m.createdAt, m.id],
  );
}

/** A ticket's escalations, oldest first. Escalations are internal: staff only. */
export async function listEscalations(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<Escalation>> {
  requireAgent(ctx.actor, "see escalations");
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "tu",
    [escalations.requestedAt, escalations.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(escalations)
        .where(and(eq(escalations.ticketId, ticketId), after))
        .orderBy(...order)
        .limit(limit),
    (e) => [e.requestedAt, e.id],
  );
}

/** A ticket's timeline, oldest first; customers see only its public events. */
export async function listEvents(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<TicketEvent>> {
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "n",
    [events.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(events)
        .where(and(eq(events.ticketId, ticketId), ctx.actor.kind === "customer" ? eq(events.visibility, "public") : undefined, after))
        .orderBy(...order)
        .limit(limit),
    (e) => [e.id],
  );
}
