import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { approvals, escalations, tickets, type Ticket } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";
import type { MessageKind } from "../domain/vocabulary.js";

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

/** Only staff change a ticket's fields, escalate, acknowledge or de-escalate. */
export function authorizeTicketWork(actor: Principal, _ticket: Ticket, what: string): void {
  if (actor.kind === "customer") throw new AppError("forbidden", `A customer cannot ${what}.`);
}

/** Customers write customer messages only; staff write public replies and internal notes. */
export function authorizeMessage(actor: Principal, kind: MessageKind): void {
  if (actor.kind === "customer" && kind !== "customer") {
    throw new AppError("forbidden", "A customer can only add their own messages.");
  }
  if (actor.kind === "agent" && kind === "customer") {
    throw new AppError("forbidden", "Staff write public replies or internal notes.");
  }
}
