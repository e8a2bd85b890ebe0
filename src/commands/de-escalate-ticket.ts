import { and, eq } from "drizzle-orm";
import { agentTeams, agents, escalations, tickets, type Escalation } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import type { DeEscalateInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import type { Tx } from "../db/store.js";
import { activeEscalations, lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Hands a ticket back down once the expert part is done: the newest active escalation closes with the
 * outcome `de_escalated` and the note, and the ticket returns to the level, team and (if still on that
 * team) agent it came from.
 */
export async function deEscalateTicket(ctx: CommandContext, ticketId: string, input: DeEscalateInput): Promise<Escalation> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
    authorizeTicketWork(ctx.actor, ticket, "de-escalate this ticket");
    if (ticket.status === "closed") throw new AppError("ticket_closed", `Ticket #${ticket.number} is closed.`);
    const [active] = await activeEscalations(tx, ticket.id);
    if (!active) throw new AppError("no_active_escalation", `Ticket #${ticket.number} has no active escalation to hand back.`);

    const assigneeId = active.fromAgentId && (await isActiveMember(tx, active.fromAgentId, active.fromTeamId)) ? active.fromAgentId : null;
    const [closed] = await tx
      .update(escalations)
      .set({ status: "closed", closedAt: now, outcome: "de_escalated", closingNote: input.note })
      .where(eq(escalations.id, active.id))
      .returning();
    await tx
      .update(tickets)
      .set({ levelId: active.fromLevelId, teamId: active.fromTeamId, assigneeId, updatedAt: now })
      .where(eq(tickets.id, ticket.id));
    await appendEvents(tx, ctx.actor, now, [
      {
        ticketId: ticket.id,
        type: "escalation.de_escalated",
        visibility: "internal",
        data: {
          escalationId: active.id,
          note: input.note,
          levelId: { from: ticket.levelId, to: active.fromLevelId },
          teamId: { from: ticket.teamId, to: active.fromTeamId },
          assigneeId: { from: ticket.assigneeId, to: assigneeId },
        },
      },
    ]);
    await enqueue(tx, now, "escalation.de_escalated", { ticketId: ticket.id, escalationId: active.id });
    return closed!;
  });
}

async function isActiveMember(tx: Tx, agentId: string, teamId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: agents.id })
    .from(agents)
    .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
    .where(and(eq(agents.id, agentId), eq(agentTeams.teamId, teamId), eq(agents.active, true)));
  return row !== undefined;
}
