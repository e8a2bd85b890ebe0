import { and, eq, ne } from "drizzle-orm";
import { escalations, events, messages, tickets, type Escalation, type Message, type Ticket, type TicketEvent } from "../db/schema.js";
import { customerEventData } from "../domain/customer-events.js";
import { AppError, notFound } from "../domain/errors.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { visibleTicketById, visibleTicketByNumber } from "../policies/ticket.policy.js";
import type { CommandContext } from "../commands/context.js";
import { loadOrganisationNames } from "./organisation-names.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** One ticket, if the actor can see it. */
export async function getTicket(ctx: CommandContext, ticketId: string): Promise<Ticket> {
  const [ticket] = await ctx.db.select().from(tickets).where(visibleTicketById(ctx.actor, ticketId));
  if (!ticket) throw notFound("ticket_not_found", "Ticket", ticketId);
  return ticket;
}

/** One ticket by its number, if the actor can see it; unseen and missing answer alike (404). */
export async function getTicketByNumber(ctx: CommandContext, ticketNumber: number): Promise<Ticket> {
  const [ticket] = await ctx.db.select().from(tickets).where(visibleTicketByNumber(ctx.actor, ticketNumber));
  if (!ticket) throw notFound("ticket_not_found", "Ticket", `#${ticketNumber}`);
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

/** One escalation, for staff who can see its ticket; otherwise not found, so its existence is not disclosed. */
export async function getEscalation(ctx: CommandContext, escalationId: string): Promise<Escalation> {
  requireAgent(ctx.actor, "see escalations");
  const [row] = await ctx.db.select().from(escalations).where(eq(escalations.id, escalationId));
  if (!row) throw notFound("escalation_not_found", "Escalation", escalationId);
  await getTicket(ctx, row.ticketId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "ticket_not_found") throw notFound("escalation_not_found", "Escalation", escalationId);
    throw err;
  });
  return row;
}

/** A ticket's timeline, oldest first; customers see only its public events. */
export async function listEvents(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<TicketEvent>> {
  await getTicket(ctx, ticketId);
  const page = await pageInOrder(
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
  if (ctx.actor.kind !== "customer") return page;
  // Customers read team and level names, never internal ids (nor which agent acted).
  const names = await loadOrganisationNames(ctx.db);
  return {
    ...page,
    data: page.data.map((e) => ({ ...e, actorId: e.actorType === "agent" ? null : e.actorId, data: customerEventData(e.type, e.data, names) })),
  };
}
