import type { Principal } from "../../domain/principal.js";
import type { StreamEvent } from "./stream-event.js";

/**
 * Whether `actor` may receive a live event: the rule of `ticketVisibility` (src/policies/ticket.policy.ts),
 * decided in memory on the facts loaded with the event, because one batch fans out to every connection:
 * - the system, managers and admins see every ticket;
 * - agents and leads see their teams' tickets, those assigned to them, and those whose escalations they took
 *   part in or whose approvals they decide;
 * - a customer sees only public events of their own tickets (an internal event never reaches a customer).
 * The stream tests check this against the SQL policy, so the two cannot drift apart unnoticed.
 */
export function canSeeStreamEvent(actor: Principal, event: StreamEvent): boolean {
  const { access } = event;
  switch (actor.kind) {
    case "system":
      return true;
    case "customer":
      return event.visibility === "public" && access.customerId === actor.id;
    case "agent":
      if (actor.role === "manager" || actor.role === "admin") return true;
      return actor.teamIds.includes(access.teamId) || access.assigneeId === actor.id || access.participantIds.includes(actor.id);
  }
}
