import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { agentTeams, agents, escalations, levels, teams, tickets, type Escalation, type Team } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import { handedBackEvent } from "../domain/customer-events.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import type { DeEscalateInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import { rematchSlaPolicy, SlaSession } from "../sla/clocks.js";
import type { Tx } from "../db/store.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Hands a ticket back down once the expert part is done, with a note: to a named team that held the
 * ticket before (any of them, not only one step back), or by default to the team the newest active
 * escalation came from — or, when the escalation already closed (resolved and reopened, say), the team
 * the newest escalation to the current team came from. Every escalation still active closes with the
 * outcome `de_escalated` and the note (the ticket leaves all of them). The ticket returns to the target's
 * level, unassigned unless the agent who last handed it on from that team is still a member there.
 * A team that never held the ticket is refused (`escalation_target_invalid`) and nothing is written.
 */
export async function deEscalateTicket(ctx: CommandContext, ticketId: string, input: DeEscalateInput): Promise<Escalation> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
    authorizeTicketWork(ctx.actor, ticket, "de-escalate this ticket");
    if (ticket.status === "closed") throw new AppError("ticket_closed", `Ticket #${ticket.number} is closed.`);
    const history = await tx.select().from(escalations).where(eq(escalations.ticketId, ticket.id)).orderBy(desc(escalations.requestedAt), desc(escalations.id));
    const active = history.filter((e) => e.status !== "closed");

    let target: Team;
    if (input.toTeamId) {
      const [team] = await tx.select().from(teams).where(eq(teams.id, input.toTeamId));
      if (!team) throw notFound("team_not_found", "Team", input.toTeamId);
      if (team.id === ticket.teamId) {
        throw new AppError("escalation_target_invalid", "The ticket is already with this team.", [{ path: "body.toTeamId", message: "is the current team" }]);
      }
      if (!(await heldTeamIds(tx, ticket.id, history)).has(team.id)) {
        throw new AppError("escalation_target_invalid", `${team.name} never held ticket #${ticket.number}; a ticket is handed back only to a team that held it before.`, [
          { path: "body.toTeamId", message: "never held the ticket" },
        ]);
      }
      target = team;
    } else {
      const from = active[0] ?? history.find((e) => e.toTeamId === ticket.teamId);
      if (!from) throw new AppError("no_active_escalation", `Ticket #${ticket.number} has no escalation to hand back; name a team that held it before.`);
      if (from.fromTeamId === ticket.teamId) throw new AppError("no_active_escalation", `Ticket #${ticket.number} is already with the team it came from.`);
      target = (await tx.select().from(teams).where(eq(teams.id, from.fromTeamId)))[0]!;
    }
    // The escalation this hand-back answers: the newest active one, else the newest that brought the ticket where it is.
    const answered = active[0] ?? history.find((e) => e.toTeamId === ticket.teamId) ?? history[0];
    if (!answered) throw new AppError("no_active_escalation", `Ticket #${ticket.number} was never escalated, so there is nothing to hand back.`);

    // Whoever last handed the ticket on from the target team gets it back, if still active there.
    const lastFromTarget = history.find((e) => e.fromTeamId === target.id);
    const previousAgent = lastFromTarget?.fromAgentId ?? null;
    const assigneeId = previousAgent && (await isActiveMember(tx, previousAgent, target.id)) ? previousAgent : null;

    const closed = active.length
      ? await tx
          .update(escalations)
          .set({ status: "closed", closedAt: now, outcome: "de_escalated", closingNote: input.note })
          .where(inArray(escalations.id, active.map((e) => e.id)))
          .returning()
      : [];
    const [moved] = await tx.update(tickets).set({ levelId: target.levelId, teamId: target.id, assigneeId, updatedAt: now }).where(eq(tickets.id, ticket.id)).returning();
    // The ticket's policy may be conditioned on the team: match it again on the ticket as handed back.
    await rematchSlaPolicy(new SlaSession(tx, now, ctx.actor), moved!);
    const [toLevel] = await tx.select({ name: levels.name }).from(levels).where(eq(levels.id, target.levelId));
    await appendEvents(tx, ctx.actor, now, [
      {
        ticketId: ticket.id,
        type: "escalation.de_escalated",
        visibility: "internal",
        data: {
          escalationId: answered.id,
          // Every active escalation the hand-back passed over and closed (the newest first).
          closedEscalationIds: closed.map((e) => e.id),
          note: input.note,
          levelId: { from: ticket.levelId, to: target.levelId },
          teamId: { from: ticket.teamId, to: target.id },
          assigneeId: { from: ticket.assigneeId, to: assigneeId },
        },
      },
      {
        ticketId: ticket.id,
        type: "ticket.handed_back",
        visibility: "public",
        data: handedBackEvent({ team: target, level: toLevel!.name }),
      },
    ]);
    await enqueue(tx, now, "escalation.de_escalated", { ticketId: ticket.id, escalationId: answered.id, toTeamId: target.id });
    return closed.find((e) => e.id === answered.id) ?? answered;
  });
}

/**
 * The teams that held a ticket before: every team an escalation took it from or to, and every team a
 * rule or an agent routed it away from (its timeline's `teamId.from`).
 */
async function heldTeamIds(tx: Tx, ticketId: string, history: Escalation[]): Promise<Set<string>> {
  const ids = new Set(history.flatMap((e) => [e.fromTeamId, e.toTeamId]));
  const moved = await queryRows<{ teamId: string | null }>(
    tx,
    sql`select data->'teamId'->>'from' as "teamId" from events where ticket_id = ${ticketId} and jsonb_typeof(data->'teamId') = 'object'`,
  );
  for (const m of moved) if (m.teamId) ids.add(m.teamId);
  return ids;
}

async function isActiveMember(tx: Tx, agentId: string, teamId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: agents.id })
    .from(agents)
    .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
    .where(and(eq(agents.id, agentId), eq(agentTeams.teamId, teamId), eq(agents.active, true)));
  return row !== undefined;
}
