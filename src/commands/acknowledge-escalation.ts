import { eq } from "drizzle-orm";
import { escalations, levels, teams, tickets, type Escalation } from "../db/schema.js";
import { takenOverEvent } from "../domain/customer-events.js";
import { AppError, notFound } from "../domain/errors.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import type { CommandContext } from "./context.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Records that the receiving side has taken an escalation over: who and when. Those who work the ticket
 * now (`worksTicket`) may acknowledge, and among them a plain agent only as a member of the target team or
 * the named target agent. An unassigned ticket is assigned
 * to the acknowledging team member.
 */
export async function acknowledgeEscalation(ctx: CommandContext, escalationId: string): Promise<Escalation> {
  const agent = requireAgent(ctx.actor, "acknowledge escalations");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [found] = await tx.select().from(escalations).where(eq(escalations.id, escalationId));
    if (!found) throw notFound("escalation_not_found", "Escalation", escalationId);
    const ticket = await lockVisibleTicket(tx, agent, found.ticketId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "ticket_not_found") throw notFound("escalation_not_found", "Escalation", escalationId);
      throw err;
    });
    // Re-read under the ticket lock: another acknowledgement may have committed meanwhile.
    const [escalation] = await tx.select().from(escalations).where(eq(escalations.id, escalationId));
    const e = escalation!;
    authorizeTicketWork(agent, ticket, "acknowledge this escalation");
    const isRecipient = agent.teamIds.includes(e.toTeamId) || e.toAgentId === agent.id;
    if (!isRecipient && agent.role === "agent") {
      throw new AppError("forbidden", "Only the receiving team, the named agent or a lead can acknowledge this escalation.");
    }
    if (e.status === "closed") throw new AppError("escalation_closed", "This escalation is already closed.");
    if (e.status === "acknowledged") {
      throw new AppError("escalation_already_acknowledged", `This escalation was acknowledged at ${e.acknowledgedAt!.toISOString()}.`);
    }
    const [updated] = await tx
      .update(escalations)
      .set({ status: "acknowledged", acknowledgedAt: now, acknowledgedById: agent.id })
      .where(eq(escalations.id, e.id))
      .returning();
    const takesTicket = ticket.assigneeId === null && ticket.teamId === e.toTeamId && agent.teamIds.includes(e.toTeamId);
    if (takesTicket) await tx.update(tickets).set({ assigneeId: agent.id, updatedAt: now }).where(eq(tickets.id, ticket.id));
    const [to] = await tx
      .select({ name: teams.name, kind: teams.kind, level: levels.name })
      .from(teams)
      .innerJoin(levels, eq(levels.id, teams.levelId))
      .where(eq(teams.id, e.toTeamId));
    await appendEvents(tx, agent, now, [
      {
        ticketId: ticket.id,
        type: "escalation.acknowledged",
        visibility: "internal",
        data: { escalationId: e.id, waitedMs: now.getTime() - e.requestedAt.getTime(), ...(takesTicket ? { assigneeId: { from: null, to: agent.id } } : {}) },
      },
      // The customer hears that someone took it over, not who.
      { ticketId: ticket.id, type: "ticket.taken_over", visibility: "public", data: takenOverEvent({ team: to!, level: to!.level }) },
    ]);
    await enqueue(tx, now, "escalation.acknowledged", { ticketId: ticket.id, escalationId: e.id, agentId: agent.id });
    return updated!;
  });
}
