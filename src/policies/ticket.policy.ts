import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { approvals, escalations, tickets, type Ticket } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { AgentPrincipal, Principal } from "../domain/principal.js";
import type { MessageKind } from "../domain/vocabulary.js";
import type { TicketView } from "../schemas/ticket.schemas.js";

/**
 * Who may see a ticket:
 * - managers, admins and the system see every ticket;
 * - agents and leads see the tickets of their teams, those assigned to them, and those they escalated or
 *   were part of an escalation of — handed over, named as target, or took it over by acknowledging — so an
 *   agent can follow what they handed over or handed back — and those where an approval of a resolution is
 *   assigned to them;
 * - a customer sees only their own tickets.
 * Returned as an SQL condition so lists filter in the database; `undefined` means no restriction.
 */
export function ticketVisibility(actor: Principal): SQL | undefined {
  switch (actor.kind) {
    case "system":
      return undefined;
    case "customer":
      return eq(tickets.customerId, actor.id);
    case "agent": {
      if (actor.role === "manager" || actor.role === "admin") return undefined;
      const participated = sql`exists (select 1 from ${escalations} e where e.ticket_id = ${tickets.id}
        and (e.from_agent_id = ${actor.id} or e.requested_by_id = ${actor.id} or e.to_agent_id = ${actor.id}
          or e.acknowledged_by_id = ${actor.id}))`;
      // Whoever an approval on it is assigned to reads the case they decide.
      const approver = sql`exists (select 1 from ${approvals} a where a.ticket_id = ${tickets.id} and a.approver_id = ${actor.id})`;
      const own = actor.teamIds.length > 0 ? inArray(tickets.teamId, actor.teamIds) : sql`false`;
      return or(own, eq(tickets.assigneeId, actor.id), participated, approver);
    }
  }
}

/** The condition that selects one ticket by id, if the actor may see it. */
export function visibleTicketById(actor: Principal, ticketId: string): SQL {
  return and(eq(tickets.id, ticketId), ticketVisibility(actor)) as SQL;
}

/** The ticket with this number, where the actor may see it (the number is what people and links use). */
export function visibleTicketByNumber(actor: Principal, ticketNumber: number): SQL {
  return and(eq(tickets.number, ticketNumber), ticketVisibility(actor)) as SQL;
}

/**
 * Whether the actor works the ticket now and so may change it: the system, managers and admins, the
 * assignee, and members (leads included) of the ticket's current team. Past participants who still read
 * the ticket through the visibility rule do not: they may read it and add internal notes only.
 */
export function worksTicket(actor: Principal, ticket: Pick<Ticket, "teamId" | "assigneeId">): boolean {
  switch (actor.kind) {
    case "system":
      return true;
    case "customer":
      return false;
    case "agent":
      return actor.role === "manager" || actor.role === "admin" || ticket.assigneeId === actor.id || actor.teamIds.includes(ticket.teamId);
  }
}

/**
 * Throws unless the actor may change the ticket (status, priority, assignee, category, tags, subject),
 * escalate, de-escalate or acknowledge it, grant resolutions on it, or answer its customer: see
 * `worksTicket`. `what` names the refused action in the message ("escalate this ticket").
 */
export function authorizeTicketWork(actor: Principal, ticket: Pick<Ticket, "teamId" | "assigneeId">, what: string): void {
  if (actor.kind === "customer") throw new AppError("forbidden", `A customer cannot ${what}.`);
  if (!worksTicket(actor, ticket)) {
    throw new AppError(
      "forbidden",
      `Only the ticket's current team, its assignee, managers and admins may ${what}; you may read it and add internal notes.`,
    );
  }
}

/**
 * Throws unless the actor may make this change to the ticket: those who work it (`worksTicket`) change
 * anything; a customer may only close their own ticket (that it is their own follows from visibility).
 */
export function authorizeTicketUpdate(actor: Principal, ticket: Pick<Ticket, "teamId" | "assigneeId">, change: Record<string, unknown>): void {
  if (actor.kind === "customer") {
    const fields = Object.keys(change).filter((k) => change[k] !== undefined);
    if (fields.length === 1 && fields[0] === "status" && change.status === "closed") return;
    throw new AppError("forbidden", `A customer can only close their own ticket (status "closed"); staff change ${fields.join(", ") || "its fields"}.`);
  }
  authorizeTicketWork(actor, ticket, "change this ticket");
}

/**
 * Customers write customer messages only; staff write public replies and internal notes. A public reply
 * answers the customer, so it belongs to those who work the ticket (`worksTicket`); anyone who can see
 * the ticket may add an internal note.
 */
export function authorizeMessage(actor: Principal, kind: MessageKind, ticket: Pick<Ticket, "teamId" | "assigneeId">): void {
  if (actor.kind === "customer" && kind !== "customer") {
    throw new AppError("forbidden", "A customer can only add their own messages, not public replies or internal notes.");
  }
  if (actor.kind === "agent" && kind === "customer") {
    throw new AppError("forbidden", "Staff cannot write customer messages; write a public reply or an internal note.");
  }
  if (kind === "public") authorizeTicketWork(actor, ticket, "reply to the customer on this ticket");
}

/** Views that slice the work of staff; a customer's list has only `all` and `waiting` (their own tickets). */
const CUSTOMER_VIEWS: readonly TicketView[] = ["all", "waiting"];

/**
 * Throws unless the actor may list tickets this way. Customers read their own tickets, and may not filter
 * or sort by what they do not see (staff tags, the assignee, SLA clocks), so a filter cannot probe them.
 */
export function authorizeTicketListing(
  actor: Principal,
  q: { view?: TicketView | undefined; tag?: string[] | undefined; assigneeId?: string | undefined; overdue?: boolean | undefined; sort?: string | undefined },
): void {
  if (actor.kind !== "customer") return;
  if (q.view && !CUSTOMER_VIEWS.includes(q.view)) throw new AppError("forbidden", `The "${q.view}" view is for staff; customers list their tickets with view "all" or "waiting".`);
  if (q.tag || q.assigneeId || q.overdue !== undefined || q.sort === "due") {
    throw new AppError("forbidden", "Customers cannot filter or sort their tickets by tags, assignee or SLA clocks.");
  }
}

/**
 * Whether the actor's active escalation target is this escalation row's: their team or themselves.
 * `e` is the alias of `escalations` in the surrounding query.
 */
function escalatedToActor(actor: AgentPrincipal): SQL {
  const teamIds = actor.teamIds.length > 0 ? sql`e.to_team_id in (${sql.join(actor.teamIds.map((t) => sql`${t}::uuid`), sql`, `)})` : sql`false`;
  return sql`(${teamIds} or e.to_agent_id = ${actor.id})`;
}

/**
 * The condition of a staff view, for the actor (on top of `ticketVisibility`, which always applies):
 * `mine` assigned to them; `team` in one of their teams; `escalated` with an active escalation to their team
 * or to them; `at-risk` not finished with a running SLA clock; `waiting` pending on the customer; `all` no
 * more. `mine`, `team` and `escalated` are work to do, so finished tickets leave them unless a status is asked.
 */
export function ticketViewCondition(actor: Principal, view: TicketView, statusGiven: boolean): SQL | undefined {
  const unfinished = statusGiven ? undefined : sql`${tickets.status} not in ('resolved', 'closed')`;
  switch (view) {
    case "all":
      return undefined;
    case "waiting":
      return eq(tickets.status, "pending");
    case "at-risk":
      return and(sql`${tickets.status} not in ('resolved', 'closed')`, sql`exists (select 1 from sla_clocks c where c.ticket_id = ${tickets.id} and c.stopped_at is null and c.due_at is not null)`);
    case "mine":
      return actor.kind === "agent" ? and(eq(tickets.assigneeId, actor.id), unfinished) : sql`false`;
    case "team":
      return actor.kind === "agent" && actor.teamIds.length > 0 ? and(inArray(tickets.teamId, actor.teamIds), unfinished) : sql`false`;
    case "escalated":
      return actor.kind === "agent" ? and(activeEscalationToActor(actor), unfinished) : sql`false`;
  }
}

/** The ticket has an escalation, open or acknowledged, to the agent's team or to the agent. */
export function activeEscalationToActor(actor: AgentPrincipal, state: "active" | "open" = "active"): SQL {
  const status = state === "open" ? sql`e.status = 'open'` : sql`e.status <> 'closed'`;
  return sql`exists (select 1 from ${escalations} e where e.ticket_id = ${tickets.id} and ${status} and ${escalatedToActor(actor)})`;
}
