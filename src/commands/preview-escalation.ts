import { and, asc, desc, eq, gt, inArray, isNull } from "drizzle-orm";
import { agents, deadlines, escalationRules, events, levels, slaClocks, slaPolicies, teams, tickets, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import type { EscalationPreview } from "../schemas/escalation-preview.schemas.js";
import type { CreateEscalationInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import { escalateTicket } from "./escalate-ticket.js";

/** Thrown to end the preview's transaction: carries what the escalation did out of the rollback. */
class PreviewRolledBack extends Error {
  constructor(readonly preview: EscalationPreview) {
    super("escalation preview rolled back");
  }
}

/**
 * Answers what `escalateTicket` would do with the same input, without writing anything: it runs the real
 * command inside a transaction, reads the ticket as the escalation left it (target, SLA policy, clocks,
 * pending timers, rules fired, events) and then rolls everything back. Refusals are the command's own, so a
 * preview fails exactly when the escalation would. The outbox and NOTIFYs are written by the same
 * transaction and vanish with it.
 */
export async function previewEscalation(ctx: CommandContext, ticketId: string, input: CreateEscalationInput): Promise<EscalationPreview> {
  try {
    await ctx.db.transaction(async (tx) => {
      const before = await ticketState(tx, ticketId);
      const escalation = await escalateTicket({ ...ctx, db: tx }, ticketId, input);
      const after = await ticketState(tx, ticketId);
      throw new PreviewRolledBack(await describe(tx, before, after, escalation));
    });
  } catch (err) {
    if (err instanceof PreviewRolledBack) return err.preview;
    throw err;
  }
  throw new Error("escalation preview: the transaction ended without the preview");
}

type State = {
  ticket: Ticket | undefined;
  lastEventId: number;
  timers: Map<string, Date>;
};

/** The ticket and what hangs on it, as far as an escalation changes it. `ticket` is undefined if not visible (the command then refuses). */
async function ticketState(tx: Tx, ticketId: string): Promise<State> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  const [newest] = await tx.select({ id: events.id }).from(events).where(eq(events.ticketId, ticketId)).orderBy(desc(events.id)).limit(1);
  const pending = await tx
    .select({ id: deadlines.id, stepKey: deadlines.stepKey, clockId: deadlines.clockId, escalationId: deadlines.escalationId, dueAt: deadlines.dueAt })
    .from(deadlines)
    .where(and(eq(deadlines.ticketId, ticketId), isNull(deadlines.firedAt)));
  return {
    ticket,
    lastEventId: newest?.id ?? 0,
    timers: new Map(pending.map((d) => [timerKey(d), d.dueAt])),
  };
}

const timerKey = (d: { stepKey: string; clockId: string | null; escalationId: string | null }) => `${d.clockId ?? d.escalationId ?? "ticket"}/${d.stepKey}`;

async function describe(tx: Tx, before: State, after: State, escalation: Awaited<ReturnType<typeof escalateTicket>>): Promise<EscalationPreview> {
  const from = before.ticket!;
  const to = after.ticket!;
  const levelRows = await tx.select({ id: levels.id, name: levels.name }).from(levels).where(inArray(levels.id, [from.levelId, to.levelId]));
  const teamRows = await tx.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, [from.teamId, to.teamId]));
  const agentIds = [from.assigneeId, to.assigneeId].filter((a): a is string => a !== null);
  const agentRows = agentIds.length ? await tx.select({ id: agents.id, name: agents.name }).from(agents).where(inArray(agents.id, agentIds)) : [];
  const policyIds = [from.slaPolicyId, to.slaPolicyId].filter((p): p is string => p !== null);
  const policyRows = policyIds.length ? await tx.select({ id: slaPolicies.id, name: slaPolicies.name }).from(slaPolicies).where(inArray(slaPolicies.id, policyIds)) : [];
  const named = <T extends { id: string }>(rows: T[], id: string | null): T | null => (id === null ? null : (rows.find((r) => r.id === id) ?? null));

  const appended = await tx
    .select({ type: events.type, data: events.data })
    .from(events)
    .where(and(eq(events.ticketId, to.id), gt(events.id, before.lastEventId)))
    .orderBy(asc(events.id));
  const created = appended.find((e) => e.type === "escalation.created" && e.data.escalationId === escalation.id);
  const superseded = appended.find((e) => e.type === "escalation.closed");
  const fired = appended.filter((e) => e.type === "rule.fired").map((e) => ({ ruleId: String(e.data.ruleId), name: String(e.data.rule) }));

  const clocks = await tx
    .select({ id: slaClocks.id, metric: slaClocks.metric, state: slaClocks.state, targetMs: slaClocks.targetMs, dueAt: slaClocks.dueAt })
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, to.id), isNull(slaClocks.stoppedAt)))
    .orderBy(asc(slaClocks.startedAt));
  const pending = await tx
    .select({ stepKey: deadlines.stepKey, clockId: deadlines.clockId, escalationId: deadlines.escalationId, dueAt: deadlines.dueAt, payload: deadlines.payload })
    .from(deadlines)
    .where(and(eq(deadlines.ticketId, to.id), isNull(deadlines.firedAt)))
    .orderBy(asc(deadlines.dueAt));
  const ruleIds = [...new Set(pending.map((d) => d.payload.ruleId).filter((r): r is string => typeof r === "string"))];
  const rules = ruleIds.length ? await tx.select({ id: escalationRules.id, name: escalationRules.name }).from(escalationRules).where(inArray(escalationRules.id, ruleIds)) : [];

  return {
    kind: escalation.kind,
    reason: escalation.reason,
    from: { level: named(levelRows, from.levelId)!, team: named(teamRows, from.teamId)!, agent: named(agentRows, from.assigneeId) },
    to: { level: named(levelRows, to.levelId)!, team: named(teamRows, to.teamId)!, agent: named(agentRows, to.assigneeId) },
    why: typeof created?.data.why === "string" ? created.data.why : null,
    supersedesEscalationId: superseded ? String(superseded.data.escalationId) : null,
    status: { from: from.status, to: to.status },
    slaPolicy: { from: named(policyRows, from.slaPolicyId), to: named(policyRows, to.slaPolicyId) },
    clocks: clocks.map((c) => ({ metric: c.metric, state: c.state, targetMs: c.targetMs, dueAt: c.dueAt?.toISOString() ?? null })),
    timers: pending.map((d) => {
      const type = typeof d.payload.type === "string" ? d.payload.type : d.stepKey;
      const metric = clocks.find((c) => c.id === d.clockId)?.metric ?? (typeof d.payload.metric === "string" ? d.payload.metric : null);
      const ruleName = typeof d.payload.ruleId === "string" ? (rules.find((r) => r.id === d.payload.ruleId)?.name ?? null) : null;
      return { stepKey: d.stepKey, type, dueAt: d.dueAt.toISOString(), metric, ruleName, isNew: !before.timers.has(timerKey(d)) };
    }),
    rulesFired: fired,
    events: appended.map((e) => e.type),
  };
}
