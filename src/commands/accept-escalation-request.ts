import { eq } from "drizzle-orm";
import { escalationRequests, levels, teams, type EscalationRequest, type Team, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { AppError, notFound } from "../domain/errors.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeEscalationAnswer } from "../policies/escalation-request.policy.js";
import type { AcceptEscalationRequestInput } from "../schemas/escalation-request.schemas.js";
import type { CommandContext } from "./context.js";
import { nextLevelTeam } from "../routing/next-level-team.js";
import { applyEscalation } from "./escalate-ticket.js";
import { lockRequestForAnswer } from "./support/escalation-requests.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Staff accept a customer's escalation request: the ticket escalates (kind `customer`, reason
 * `customer_request`) to the named team — on a higher level, or a specialist team — or by default to the
 * next level up, with the customer's reason and the agent's note as the handover note. The request records
 * the escalation, and the customer sees the acceptance and the note on their timeline.
 */
export async function acceptEscalationRequest(ctx: CommandContext, requestId: string, input: AcceptEscalationRequestInput): Promise<EscalationRequest> {
  const agent = authorizeEscalationAnswer(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { request, ticket } = await lockRequestForAnswer(tx, agent, requestId);
    if (FINISHED_STATUSES.includes(ticket.status)) {
      throw new AppError("ticket_not_escalatable", `Ticket #${ticket.number} is ${ticket.status}; reopen it before escalating, or decline the request.`);
    }
    const target = await chooseTarget(tx, ticket, input.toTeamId);
    const answer = input.note ?? null;
    const note = `Customer's escalation request: ${request.reason}` + (answer ? `\n\nAgent's note: ${answer}` : "");
    const escalation = await applyEscalation(tx, agent, now, ticket, target.team, { kind: "customer", reason: "customer_request", note, toAgentId: null, why: target.why });
    const [accepted] = await tx
      .update(escalationRequests)
      .set({ status: "accepted", decidedById: agent.id, decidedAt: now, answer, escalationId: escalation.id })
      .where(eq(escalationRequests.id, request.id))
      .returning();
    const [toLevel] = await tx.select({ name: levels.name }).from(levels).where(eq(levels.id, target.team.levelId));
    await appendEvents(tx, agent, now, [
      {
        ticketId: ticket.id,
        type: "escalation_request.accepted",
        visibility: "public",
        data: { requestId: request.id, answer, level: toLevel!.name },
      },
    ]);
    await enqueue(tx, now, "escalation_request.accepted", {
      ticketId: ticket.id,
      requestId: request.id,
      customerId: request.customerId,
      escalationId: escalation.id,
      answer,
    });
    return accepted!;
  });
}

/** The named team if it is a valid target for the ticket, otherwise the team one level up. */
async function chooseTarget(tx: Tx, ticket: Ticket, toTeamId: string | undefined): Promise<{ team: Team; why?: string }> {
  const [current] = await tx.select({ rank: levels.rank }).from(levels).where(eq(levels.id, ticket.levelId));
  const currentRank = current!.rank;
  if (toTeamId === undefined) {
    const choice = await nextLevelTeam(tx, { rank: currentRank, category: ticket.category });
    if (!choice) throw new AppError("no_higher_level", `Ticket #${ticket.number} is already on the highest level that has a team; name a specialist team or decline the request.`);
    return choice;
  }
  const [row] = await tx.select({ team: teams, rank: levels.rank }).from(teams).innerJoin(levels, eq(levels.id, teams.levelId)).where(eq(teams.id, toTeamId));
  if (!row) throw notFound("team_not_found", "Team", toTeamId);
  if (row.team.id === ticket.teamId) {
    throw new AppError("escalation_target_invalid", "The ticket is already with this team.", [{ path: "body.toTeamId", message: "is the current team" }]);
  }
  if (row.rank <= currentRank && row.team.kind !== "specialist") {
    throw new AppError("escalation_target_invalid", `${row.team.name} is neither on a higher level nor a specialist team.`, [
      { path: "body.toTeamId", message: "is not on a higher level nor a specialist team" },
    ]);
  }
  return { team: row.team };
}
