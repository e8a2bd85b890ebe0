import { and, asc, eq, gt, sql } from "drizzle-orm";
import { agentTeams, agents, escalations, levels, teams, tickets, type Deadline, type SlaClock, type Team, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { SYSTEM } from "../domain/principal.js";
import { FINISHED_STATUSES, PRIORITIES, type AgentRole, type SlaMetric } from "../domain/vocabulary.js";
import { applyEscalation } from "../commands/escalate-ticket.js";
import { nextLevelTeam, teamsAbove } from "../routing/next-level-team.js";
import { evaluateRules } from "../rules/evaluate-rules.js";
import { fireApprovalTimeout } from "./fire-approval.js";
import { appendEvents, enqueue } from "../commands/support/timeline.js";
import type { SlaSession } from "../sla/clocks.js";
import { instantOfOffset, onPriorityChanged, stepOffsetMs, upsertDeadlines } from "../sla/clocks.js";
import type { SlaStepSpec } from "../schemas/sla.schemas.js";

export type FireOutcome = "fired" | "obsolete";

const METRIC_WORDS: Record<SlaMetric, string> = {
  first_response: "First response",
  next_response: "Next response",
  periodic_update: "Periodic customer update",
  resolution: "Resolution",
};

/**
 * Acts on one claimed deadline inside the engine's transaction, on its ticket (already locked by the
 * engine) and clock: a breach marks the clock breached, a warning records a warning, an escalation step
 * escalates (and schedules its next repeat), an acknowledgement timeout climbs one more level. Returns
 * `obsolete` when there is nothing left to do.
 */
export async function fireDeadline(s: SlaSession, deadline: Deadline, ticket: Ticket, clock: SlaClock | undefined): Promise<FireOutcome> {
  const { tx, now } = s;
  const payload = deadline.payload as { type: string } & Record<string, unknown>;
  if (deadline.escalationId) return fireAcknowledgementTimeout(s, ticket, deadline);
  if (deadline.approvalId) return fireApprovalTimeout(s, ticket, deadline);
  if (payload.type === "rule") {
    // A time-triggered rule: evaluate it alone, now; it fires if the rest of its conditions hold too.
    const fired = await evaluateRules(tx, now, ticket.id, "time", `time:${deadline.dueAt.toISOString()}`, String(payload.ruleId));
    return fired ? "fired" : "obsolete";
  }
  if (!clock || clock.stoppedAt || clock.runningSince === null) return "obsolete";
  const what = METRIC_WORDS[clock.metric];

  if (payload.type === "breach") {
    if (clock.state === "breached") return "obsolete";
    s.breachedClocks.push({ id: clock.id, at: deadline.dueAt });
    await appendEvents(tx, SYSTEM, now, [
      { ticketId: ticket.id, type: "sla.breached", visibility: "internal", data: { clockId: clock.id, metric: clock.metric, dueAt: deadline.dueAt } },
    ]);
    await enqueue(tx, now, "sla.breached", { ticketId: ticket.id, clockId: clock.id, metric: clock.metric, dueAt: deadline.dueAt.toISOString() });
    return "fired";
  }

  const step = payload as unknown as SlaStepSpec & { index: number; repeat: number; policyId: string };
  if (step.type === "warning") {
    await appendEvents(tx, SYSTEM, now, [
      { ticketId: ticket.id, type: "sla.warning", visibility: "internal", data: { clockId: clock.id, metric: clock.metric, dueAt: clock.dueAt, step: step.index } },
    ]);
    await enqueue(tx, now, "sla.warning", { ticketId: ticket.id, clockId: clock.id, metric: clock.metric, dueAt: clock.dueAt?.toISOString() ?? null });
    return "fired";
  }

  // An escalation step.
  if (FINISHED_STATUSES.includes(ticket.status)) return "obsolete";
  const late = Math.round((now.getTime() - (clock.dueAt ?? now).getTime()) / 60_000);
  const target = await escalationTarget(s, ticket, step.to);
  if (!target) {
    await appendEvents(tx, SYSTEM, now, [
      { ticketId: ticket.id, type: "sla.escalation_skipped", visibility: "internal", data: { clockId: clock.id, metric: clock.metric, step: step.index, repeat: step.repeat, why: "no higher target" } },
    ]);
  } else {
    await applyEscalation(tx, SYSTEM, now, ticket, target.team, {
      kind: "automatic",
      reason: "sla_breach",
      note: `${what} target missed${late > 0 ? ` (${late} min past due)` : ""}: escalated automatically by the SLA policy, step ${step.index + 1}${step.repeat > 0 ? `, repeat ${step.repeat + 1}` : ""}.`,
      toAgentId: target.agentId,
      why: target.why,
    }, s);
    if (step.raisePriority) await raisePriority(s, ticket.id);
  }
  // The next climb, if the step repeats.
  if (step.repeatEvery && step.repeat + 1 < step.maxRepeats) {
    const policy = await s.policyOf(ticket);
    const wt = await s.calendars.of(policy?.calendarId ?? null);
    const offset = stepOffsetMs(step, clock.targetMs, step.repeat + 1)!;
    await upsertDeadlines(s, ticket.id, [
      { clockId: clock.id, escalationId: null, stepKey: `step:${step.index}:${step.repeat + 1}`, dueAt: instantOfOffset(wt, clock, offset, now), payload: { ...step, repeat: step.repeat + 1 } },
    ]);
  }
  return "fired";
}

async function fireAcknowledgementTimeout(s: SlaSession, ticket: Ticket, deadline: Deadline): Promise<FireOutcome> {
  const [escalation] = await s.tx.select().from(escalations).where(eq(escalations.id, deadline.escalationId!));
  if (!escalation || escalation.status !== "open" || FINISHED_STATUSES.includes(ticket.status)) return "obsolete";
  const choice = await nextLevelTeamOf(s, ticket);
  if (!choice) {
    await appendEvents(s.tx, SYSTEM, s.now, [
      { ticketId: ticket.id, type: "sla.escalation_skipped", visibility: "internal", data: { escalationId: escalation.id, why: "not acknowledged, and no higher level" } },
    ]);
    return "fired";
  }
  await applyEscalation(s.tx, SYSTEM, s.now, ticket, choice.team, {
    kind: "automatic",
    reason: "not_acknowledged",
    note: `Not acknowledged within ${String(deadline.payload.timeout)} of ${escalation.requestedAt.toISOString()}: climbed one level automatically.`,
    toAgentId: null,
    why: choice.why,
  }, s);
  return "fired";
}

type StepTarget = SlaStepSpec extends infer S ? (S extends { type: "escalate"; to: infer T } ? T : never) : never;

/** Where an escalation step sends the ticket: one level up, a named team, or an agent of a role. */
async function escalationTarget(s: SlaSession, ticket: Ticket, to: StepTarget): Promise<{ team: Team; agentId: string | null; why?: string } | null> {
  if (to.kind === "next_level") {
    const choice = await nextLevelTeamOf(s, ticket);
    return choice ? { team: choice.team, agentId: null, why: choice.why } : null;
  }
  if (to.kind === "team") {
    const [team] = await s.tx.select().from(teams).where(eq(teams.id, to.teamId));
    return team && team.id !== ticket.teamId ? { team, agentId: null } : null;
  }
  return roleTarget(s.tx, ticket, to.role, await rankOf(s, ticket.levelId));
}

/** A level's rank, remembered for the rest of the batch (levels rarely change). */
function rankOf(s: SlaSession, levelId: string): Promise<number> {
  return s.memo(`rank:${levelId}`, async () => (await s.tx.select().from(levels).where(eq(levels.id, levelId)))[0]!.rank);
}

/**
 * The team one level above the ticket's, by the shared chooser. The teams above a rank are read once per
 * batch; open loads are read per escalation (only when they decide), so a burst of breaches spreads over
 * the teams as their loads grow.
 */
async function nextLevelTeamOf(s: SlaSession, ticket: Ticket): Promise<{ team: Team; why: string } | null> {
  const rank = await rankOf(s, ticket.levelId);
  const candidates = await s.memo(`above:${rank}`, () => teamsAbove(s.tx, rank));
  return nextLevelTeam(s.tx, { rank, category: ticket.category }, candidates);
}

/** An active agent of the role: in the ticket's team first, else on the nearest higher level (by name). */
async function roleTarget(tx: Tx, ticket: Ticket, role: AgentRole, rank: number): Promise<{ team: Team; agentId: string } | null> {
  const rows = await tx
    .select({ team: teams, agentId: agents.id, rank: levels.rank })
    .from(agents)
    .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
    .innerJoin(teams, eq(teams.id, agentTeams.teamId))
    .innerJoin(levels, eq(levels.id, teams.levelId))
    .where(and(eq(agents.role, role), eq(agents.active, true), sql`(${teams.id} = ${ticket.teamId} or ${gt(levels.rank, rank)})`))
    .orderBy(sql`${teams.id} = ${ticket.teamId} desc`, asc(levels.rank), asc(agents.name));
  const best = rows.find((r) => r.agentId !== ticket.assigneeId);
  return best ? { team: best.team, agentId: best.agentId } : null;
}

/** Raises the ticket one priority (urgent stays urgent), moving its clocks to the new targets. */
async function raisePriority(s: SlaSession, ticketId: string): Promise<void> {
  const [current] = await s.tx.select().from(tickets).where(eq(tickets.id, ticketId));
  const next = PRIORITIES[Math.min(PRIORITIES.indexOf(current!.priority) + 1, PRIORITIES.length - 1)]!;
  if (next === current!.priority) return;
  const [updated] = await s.tx.update(tickets).set({ priority: next, updatedAt: s.now }).where(eq(tickets.id, ticketId)).returning();
  await appendEvents(s.tx, SYSTEM, s.now, [
    { ticketId, type: "ticket.updated", visibility: "internal", data: { changes: { priority: { from: current!.priority, to: next } }, why: "sla_escalation" } },
  ]);
  await onPriorityChanged(s, updated!);
}
