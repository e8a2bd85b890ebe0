import { eq, sql } from "drizzle-orm";
import { levels, teams, type Escalation, type Team, type Ticket } from "../db/schema.js";
import { preparedRows } from "../db/raw.js";
import type { Tx } from "../db/store.js";
import { AppError, notFound } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";
import { FINISHED_STATUSES, type EscalationKind, type EscalationReason } from "../domain/vocabulary.js";
import { rematchSlaPolicy, SlaSession, startAcknowledgementTimer } from "../sla/clocks.js";
import { escalatedEvent } from "../domain/customer-events.js";
import { nextLevelTeam } from "../routing/next-level-team.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import type { CreateEscalationInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import { assertAgentInTeam, lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue, type NewEvent } from "./support/timeline.js";

/**
 * Escalates a ticket, recording the escalation as its own record with a handover note.
 * - functional: to a specialist team (other than the current one), at any level;
 * - hierarchical: to a named team on a higher level, or by default to the next level up (`nextLevelTeam`:
 *   the team owning the ticket's category, then management, then frontline; the least loaded among several).
 * The ticket moves to the target level and team (and agent, if named), new tickets become open, and an
 * escalation still active on the ticket ends with the outcome `escalated_further`.
 */
export async function escalateTicket(ctx: CommandContext, ticketId: string, input: CreateEscalationInput): Promise<Escalation> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
    authorizeTicketWork(ctx.actor, ticket, "escalate this ticket");
    if (FINISHED_STATUSES.includes(ticket.status)) {
      throw new AppError("ticket_not_escalatable", `Ticket #${ticket.number} is ${ticket.status}; reopen it before escalating.`);
    }
    const [fromLevel] = await tx.select().from(levels).where(eq(levels.id, ticket.levelId));
    const target = await chooseTarget(tx, input, ticket, fromLevel!.rank);
    if (input.toAgentId) await assertAgentInTeam(tx, input.toAgentId, target.team.id);

    return applyEscalation(tx, ctx.actor, now, ticket, target.team, {
      kind: input.kind,
      reason: input.reason,
      note: input.note,
      toAgentId: input.toAgentId ?? null,
      why: target.why,
    });
  });
}

/**
 * Writes an escalation whose target is already chosen and checked: closes the active one as escalated
 * further, records the new one, moves the ticket, appends the timeline, queues the notification and, when
 * the ticket's SLA policy sets an acknowledgement timeout, starts that timer. Used by the command above and
 * by the deadline engine for automatic escalations.
 */
export async function applyEscalation(
  tx: Tx,
  actor: Principal,
  now: Date,
  ticket: Ticket,
  target: Team,
  spec: { kind: EscalationKind; reason: EscalationReason; note: string; toAgentId: string | null; why?: string | undefined },
  sla: SlaSession = new SlaSession(tx, now, actor),
): Promise<Escalation> {
  const status = ticket.status === "new" ? "open" : ticket.status;
  const at = now.toISOString();
  // One prepared statement: the deadline engine runs this for every automatic escalation of a burst.
  const [row] = await preparedRows<Escalation & { superseded: string[] }>(
    tx,
    sql`with closed as (
          update escalations set status = 'closed', closed_at = ${at}::timestamptz, outcome = 'escalated_further'
          where ticket_id = ${ticket.id} and status <> 'closed' returning id),
        ins as (
          insert into escalations (ticket_id, kind, reason, note, from_level_id, from_team_id, from_agent_id,
                                   to_level_id, to_team_id, to_agent_id, requested_by_id, requested_at)
          values (${ticket.id}, ${spec.kind}, ${spec.reason}, ${spec.note}, ${ticket.levelId}, ${ticket.teamId}, ${ticket.assigneeId}::uuid,
                  ${target.levelId}, ${target.id}, ${spec.toAgentId}::uuid, ${actor.kind === "agent" ? actor.id : null}::uuid, ${at}::timestamptz)
          returning *),
        moved as (
          update tickets set level_id = ${target.levelId}, team_id = ${target.id}, assignee_id = ${spec.toAgentId}::uuid,
                             status = ${status}, updated_at = ${at}::timestamptz
          where id = ${ticket.id})
        select ins.id, ins.ticket_id as "ticketId", ins.kind, ins.status, ins.reason, ins.note,
               ins.from_level_id as "fromLevelId", ins.from_team_id as "fromTeamId", ins.from_agent_id as "fromAgentId",
               ins.to_level_id as "toLevelId", ins.to_team_id as "toTeamId", ins.to_agent_id as "toAgentId",
               ins.requested_by_id as "requestedById", ins.requested_at as "requestedAt",
               ins.acknowledged_at as "acknowledgedAt", ins.acknowledged_by_id as "acknowledgedById",
               ins.closed_at as "closedAt", ins.outcome, ins.closing_note as "closingNote",
               (select coalesce(array_agg(id), '{}') from closed) as superseded
        from ins`,
  );
  const { superseded, ...e } = row!;
  // Drivers differ in how they hand back timestamps from raw SQL; the escalation's are known here.
  const escalation: Escalation = { ...e, requestedAt: now, acknowledgedAt: null, closedAt: null };

  const list: NewEvent[] = superseded.map((id) => ({
    ticketId: ticket.id,
    type: "escalation.closed",
    visibility: "internal" as const,
    data: { escalationId: id, outcome: "escalated_further" },
  }));
  list.push({
    ticketId: ticket.id,
    type: "escalation.created",
    visibility: "internal",
    data: {
      escalationId: escalation.id,
      kind: escalation.kind,
      reason: escalation.reason,
      note: escalation.note,
      levelId: { from: ticket.levelId, to: target.levelId },
      teamId: { from: ticket.teamId, to: target.id },
      assigneeId: { from: ticket.assigneeId, to: escalation.toAgentId },
      // Why this team, when the system chose it ("owns category printer; lowest open load 3").
      ...(spec.why ? { why: spec.why } : {}),
    },
  });
  if (status !== ticket.status) {
    list.push({ ticketId: ticket.id, type: "ticket.status_changed", visibility: "public", data: { status: { from: ticket.status, to: status } } });
  }
  // What the customer reads: the team and level by name, nothing of the note, reason or people.
  const toLevel = await sla.memo(`level-name:${target.levelId}`, async () => (await tx.select({ name: levels.name }).from(levels).where(eq(levels.id, target.levelId)))[0]!.name);
  list.push({ ticketId: ticket.id, type: "ticket.escalated", visibility: "public", data: escalatedEvent({ team: target, level: toLevel }) });
  await appendEvents(tx, actor, now, list);
  // Webhook subscribers get the kind, the reason and where it came from (never the handover note).
  const fromTeam = await sla.memo(`team-name:${ticket.teamId}`, async () => (await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, ticket.teamId)))[0]!.name);
  await enqueue(tx, now, "escalation.created", {
    ticketId: ticket.id,
    escalationId: escalation.id,
    kind: escalation.kind,
    reason: escalation.reason,
    fromTeam: { id: ticket.teamId, name: fromTeam },
    fromLevelId: ticket.levelId,
    toTeam: { id: target.id, name: target.name },
    toTeamId: target.id,
    toLevelId: target.levelId,
    toAgentId: escalation.toAgentId,
  });
  // The ticket's policy may be conditioned on the team: match it again on the ticket as moved.
  const moved: Ticket = { ...ticket, levelId: target.levelId, teamId: target.id, assigneeId: spec.toAgentId, status, updatedAt: now };
  const slaPolicyId = await rematchSlaPolicy(sla, moved);
  await startAcknowledgementTimer(sla, { ...moved, slaPolicyId }, escalation);
  return escalation;
}

async function chooseTarget(tx: Tx, input: CreateEscalationInput, ticket: Ticket, currentRank: number): Promise<{ team: Team; why?: string }> {
  if (input.toTeamId) {
    const [row] = await tx
      .select({ team: teams, rank: levels.rank })
      .from(teams)
      .innerJoin(levels, eq(levels.id, teams.levelId))
      .where(eq(teams.id, input.toTeamId));
    if (!row) throw notFound("team_not_found", "Team", input.toTeamId);
    if (row.team.id === ticket.teamId) {
      throw new AppError("escalation_target_invalid", "The ticket is already with this team.", [{ path: "body.toTeamId", message: "is the current team" }]);
    }
    if (input.kind === "functional" && row.team.kind !== "specialist") {
      throw new AppError("escalation_target_invalid", `A functional escalation goes to a specialist team; ${row.team.name} is a ${row.team.kind} team.`, [
        { path: "body.toTeamId", message: "is not a specialist team" },
      ]);
    }
    if (input.kind === "hierarchical" && row.rank <= currentRank) {
      throw new AppError("escalation_target_invalid", `A hierarchical escalation goes up: ${row.team.name} is not on a higher level.`, [
        { path: "body.toTeamId", message: "is not on a higher level" },
      ]);
    }
    return { team: row.team };
  }
  // Hierarchical with no named team: the next level up.
  const choice = await nextLevelTeam(tx, { rank: currentRank, category: ticket.category });
  if (!choice) throw new AppError("no_higher_level", "The ticket is already on the highest level that has a team.");
  return choice;
}
