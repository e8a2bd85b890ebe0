import type { Principal } from "../../domain/principal.js";
import type { StreamEvent } from "./stream-event.js";

/**
 * Whether `actor` may receive a live event: the rule of `ticketVisibility` (src/policies/ticket.policy.ts),
 * decided in memory on the facts loaded with the event, because one batch fans out to every connection:
 * - the system, managers and admins see every ticket;
 * - agents and leads see their teams' tickets, those assigned to them, and those whose escalations they took
 *   part in or whose approvals they decide; and every event that happened while the ticket was with one of
 *   their teams, judged by the event's own before/after (`eventTeamIds`), not by where the ticket is when
 *   the event is sent: a team sees the breach and the escalation that took its ticket away, then no more;
 * - a customer sees only public events of their own tickets (an internal event never reaches a customer).
 * The stream tests check this against the SQL condition (`streamEventVisibility`), so the two cannot drift
 * apart unnoticed.
 */
export function canSeeStreamEvent(actor: Principal, event: Pick<StreamEvent, "visibility" | "access">): boolean {
  const { access } = event;
  switch (actor.kind) {
    case "system":
      return true;
    case "customer":
      return event.visibility === "public" && access.customerId === actor.id;
    case "agent":
      if (actor.role === "manager" || actor.role === "admin") return true;
      return (
        actor.teamIds.includes(access.teamId) ||
        access.eventTeamIds.some((id) => actor.teamIds.includes(id)) ||
        access.assigneeId === actor.id ||
        access.participantIds.includes(actor.id)
      );
  }
}
