import { and, eq, inArray, ne } from "drizzle-orm";
import { agentTeams, agents, escalations, tickets, type Escalation, type Ticket } from "../../db/schema.js";
import type { Tx } from "../../db/store.js";
import { AppError, notFound } from "../../domain/errors.js";
import type { Principal } from "../../domain/principal.js";
import { visibleTicketById } from "../../policies/ticket.policy.js";

/**
 * Loads a ticket the actor can see and locks its row for the rest of the transaction, so concurrent
 * commands on one ticket apply one after the other. A ticket the actor cannot see is reported as not
 * found, so its existence is not disclosed.
 */
export async function lockVisibleTicket(tx: Tx, actor: Principal, ticketId: string): Promise<Ticket> {
  const [ticket] = await tx.select().from(tickets).where(visibleTicketById(actor, ticketId)).for("update");
  if (!ticket) throw notFound("ticket_not_found", "Ticket", ticketId);
  return ticket;
}

/** The ticket's escalations that are not closed (open or acknowledged), newest first. */
export async function activeEscalations(tx: Tx, ticketId: string): Promise<Escalation[]> {
  const rows = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.ticketId, ticketId), ne(escalations.status, "closed")));
  return rows.sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime());
}

/** Throws unless the agent exists, is active and belongs to the team. */
export async function assertAgentInTeam(tx: Tx, agentId: string, teamId: string): Promise<void> {
  const [agent] = await tx.select({ id: agents.id, active: agents.active }).from(agents).where(eq(agents.id, agentId));
  if (!agent || !agent.active) throw notFound("agent_not_found", "Agent", agentId);
  const [member] = await tx
    .select({ teamId: agentTeams.teamId })
    .from(agentTeams)
    .where(and(eq(agentTeams.agentId, agentId), inArray(agentTeams.teamId, [teamId])));
  if (!member) throw new AppError("assignee_not_in_team", `Agent ${agentId} is not a member of the ticket's team.`);
}
