import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { customers, deadlines, slaClocks, slaPolicies, tickets, type SlaClock, type SlaPolicyRow, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import type { Principal } from "../domain/principal.js";
import { isoDurationMs } from "../domain/sla/duration.js";
import { matchPolicy, pausesIn, targetMsOf, type SlaPolicy } from "../domain/sla/policy.js";
import { FINISHED_STATUSES, type CustomerTier, type SlaMetric } from "../domain/vocabulary.js";
import { appendEvents } from "../commands/support/timeline.js";
import type { SlaStepSpec } from "../schemas/sla.schemas.js";
import { WorkingTimeCache, type WorkingTime } from "./working-time.js";

/**
 * The SLA clocks of tickets, kept in step with what happens to them. Commands call these hooks inside
 * their own transaction, so a clock never disagrees with the ticket it measures, and every change
 * re-writes the clock's pending deadlines for the engine.
 *
 * Time on a clock is working time of the policy's calendar: `elapsedMs` is what was used before the
 * current running span, which began at `runningSince`.
 */

/** The channel the deadline engine listens on; the payload is unused (the engine re-reads the next due time). */
export const DEADLINES_CHANNEL = "tierline_deadlines";

/** The engines' safety-net re-read interval of the next due time (wake-ups come from NOTIFY and timers). */
export const ENGINE_RESYNC_MS = 30_000;

/**
 * How far ahead a written deadline must be due for writers to skip the NOTIFY, given the engines' re-read
 * interval. An engine re-reads at most `resyncMs` after any write, so a deadline not notified must be due
 * later than that: twice the interval leaves a whole interval of margin for a slow re-read or a long drain.
 */
export const notifyHorizonOf = (resyncMs: number): number => 2 * resyncMs;

/** Writers NOTIFY the engines of every deadline due within this (derived from ENGINE_RESYNC_MS, so they cannot drift). */
export const NOTIFY_HORIZON_MS = notifyHorizonOf(ENGINE_RESYNC_MS);

const TICKET_START_METRICS: SlaMetric[] = ["first_response", "resolution", "periodic_update"];

export const toPolicy = (row: SlaPolicyRow): SlaPolicy => row as unknown as SlaPolicy;

/** One transaction's view of SLA state: the policies, the calendars, the time, the actor. */
export class SlaSession {
  readonly calendars: WorkingTimeCache;
  private policies: SlaPolicy[] | undefined;
  private scheduled = false;
  private readonly memos = new Map<string, Promise<unknown>>();
  /** Clocks the engine found breached in this batch; written together by `flushBreaches`. */
  readonly breachedClocks: { id: string; at: Date }[] = [];

  /** Deadlines due within this are told to the engines (NOTIFY); later ones are found by their re-read. */
  readonly notifyHorizonMs: number;

  /** `resyncMs`: the engines' re-read interval, when not ENGINE_RESYNC_MS (tests run engines faster). */
  constructor(
    readonly tx: Tx,
    readonly now: Date,
    readonly actor: Principal,
    opts: { resyncMs?: number } = {},
  ) {
    this.calendars = new WorkingTimeCache(tx);
    this.notifyHorizonMs = notifyHorizonOf(opts.resyncMs ?? ENGINE_RESYNC_MS);
  }

  /** Computes a value once per session (e.g. a level's rank during an engine batch). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let hit = this.memos.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = compute();
      this.memos.set(key, hit);
    }
    return hit;
  }

  async allPolicies(): Promise<SlaPolicy[]> {
    this.policies ??= (await this.tx.select().from(slaPolicies).orderBy(asc(slaPolicies.position))).map(toPolicy);
    return this.policies;
  }

  async policyOf(ticket: Ticket): Promise<SlaPolicy | null> {
    if (!ticket.slaPolicyId) return null;
    return (await this.allPolicies()).find((p) => p.id === ticket.slaPolicyId) ?? null;
  }

  /** Marks the collected clocks breached, in one statement. */
  async flushBreaches(): Promise<void> {
    if (this.breachedClocks.length === 0) return;
    const rows = JSON.stringify(this.breachedClocks.map((b) => ({ id: b.id, at: b.at.toISOString() })));
    await this.tx.execute(sql`update ${slaClocks} c set state = 'breached', breached_at = v.at
      from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, at timestamptz) where c.id = v.id`);
    this.breachedClocks.length = 0;
  }

  /**
   * Tells the engines about deadlines just written when one of them is due within the horizon; skipping the
   * NOTIFY for later ones spares intake transactions PostgreSQL's commit-time notification lock.
   */
  async notifyEnginesOf(dueAts: Date[]): Promise<void> {
    if (dueAts.some((d) => d.getTime() - this.now.getTime() < this.notifyHorizonMs)) await this.notifyEngines();
  }

  /** Tells deadline engines (in every instance) that the next due time may have moved; sent on commit. */
  async notifyEngines(): Promise<void> {
    if (this.scheduled) return;
    this.scheduled = true;
    await this.tx.execute(sql`select pg_notify(${DEADLINES_CHANNEL}, '')`);
  }
}

/** Live clocks of a ticket (not stopped). */
async function liveClocks(s: SlaSession, ticketId: string): Promise<SlaClock[]> {
  return s.tx
    .select()
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticketId), isNull(slaClocks.stoppedAt)));
}

/** When a ticket opens: match a policy, remember it on the ticket, start its clocks. Returns the policy's id. */
export async function onTicketCreated(s: SlaSession, ticket: Ticket, customerTier: CustomerTier): Promise<string | null> {
  const policy = matchPolicy(await s.allPolicies(), { ...ticket, customerTier });
  if (!policy) return null;
  await s.tx.update(tickets).set({ slaPolicyId: policy.id }).where(eq(tickets.id, ticket.id));
  await startClocks(s, policy, { ...ticket, slaPolicyId: policy.id }, TICKET_START_METRICS.map((metric) => ({ metric, cycle: 1 })));
  return policy.id;
}

/** An agent's public reply: the customer has an answer (first/next response met) and an update (periodic restarts). */
export async function onPublicReply(s: SlaSession, ticket: Ticket): Promise<void> {
  const policy = await s.policyOf(ticket);
  if (!policy) return;
  for (const clock of await liveClocks(s, ticket.id)) {
    if (clock.metric === "first_response" || clock.metric === "next_response") await stopClock(s, clock, "met", "public_reply");
    if (clock.metric === "periodic_update") {
      await stopClock(s, clock, "met", "public_reply");
      await startClock(s, policy, ticket, "periodic_update", clock.cycle + 1);
    }
  }
}

/**
 * A customer's message, from any channel: it waits for an answer, so next response starts — unless the
 * first response (or a next response) is still owed, which that clock already measures.
 */
export async function onCustomerMessage(s: SlaSession, ticket: Ticket): Promise<void> {
  const policy = await s.policyOf(ticket);
  if (!policy || FINISHED_STATUSES.includes(ticket.status)) return;
  const live = await liveClocks(s, ticket.id);
  if (live.some((c) => c.metric === "first_response" || c.metric === "next_response")) return;
  const [last] = await s.tx
    .select({ cycle: sql<number>`coalesce(max(${slaClocks.cycle}), 0)::int` })
    .from(slaClocks)
    .where(and(eq(slaClocks.ticketId, ticket.id), eq(slaClocks.metric, "next_response")));
  await startClock(s, policy, ticket, "next_response", (last?.cycle ?? 0) + 1);
}

/**
 * A status change: resolving or closing stops every clock (see `outcomeOnFinish`); reopening starts
 * resolution (and periodic update) again; other changes pause or resume the clocks by the policy's pause
 * statuses.
 */
export async function onStatusChanged(s: SlaSession, ticket: Ticket, from: Ticket["status"]): Promise<void> {
  const policy = await s.policyOf(ticket);
  if (!policy) return;
  const wasFinished = FINISHED_STATUSES.includes(from);
  const isFinished = FINISHED_STATUSES.includes(ticket.status);
  if (isFinished) {
    if (!wasFinished) {
      for (const clock of await liveClocks(s, ticket.id)) await stopClock(s, clock, outcomeOnFinish(policy, clock.metric), `ticket_${ticket.status}`);
    }
    return;
  }
  if (wasFinished) {
    const [row] = await s.tx
      .select({ cycle: sql<number>`coalesce(max(${slaClocks.cycle}), 0)::int` })
      .from(slaClocks)
      .where(and(eq(slaClocks.ticketId, ticket.id), eq(slaClocks.metric, "resolution")));
    await startClock(s, policy, ticket, "resolution", (row?.cycle ?? 0) + 1);
    const [periodic] = await s.tx
      .select({ cycle: sql<number>`coalesce(max(${slaClocks.cycle}), 0)::int` })
      .from(slaClocks)
      .where(and(eq(slaClocks.ticketId, ticket.id), eq(slaClocks.metric, "periodic_update")));
    await startClock(s, policy, ticket, "periodic_update", (periodic?.cycle ?? 0) + 1);
    return;
  }
  const shouldPause = pausesIn(policy, ticket.status);
  for (const clock of await liveClocks(s, ticket.id)) {
    const isPaused = clock.runningSince === null;
    if (shouldPause && !isPaused) await pauseClock(s, policy, clock);
    if (!shouldPause && isPaused) await resumeClock(s, policy, clock);
  }
}

/**
 * What finishing a ticket makes of a live clock: resolution is met; a response or update still owed was
 * not given, so it is cancelled — unless the policy counts the resolution as that response. `met` must
 * mean the customer had what the target promised: SLA figures are computed from these states.
 */
export function outcomeOnFinish(policy: Pick<SlaPolicy, "resolutionCountsAsResponse">, metric: SlaMetric): "met" | "cancelled" {
  if (metric === "resolution") return "met";
  return policy.resolutionCountsAsResponse ? "met" : "cancelled";
}

/**
 * A priority change: the ticket may now match another policy (see `rematchSlaPolicy`); otherwise each live
 * clock takes the new priority's target and its due time moves.
 */
export async function onPriorityChanged(s: SlaSession, ticket: Ticket): Promise<void> {
  if ((await rematchSlaPolicy(s, ticket)) !== ticket.slaPolicyId) return;
  const policy = await s.policyOf(ticket);
  if (!policy) return;
  for (const clock of await liveClocks(s, ticket.id)) {
    const targetMs = targetMsOf(policy, clock.metric, ticket.priority);
    if (targetMs === null || targetMs === clock.targetMs) continue;
    await retarget(s, policy, clock, targetMs);
  }
}

/**
 * Matches the policy for the ticket as it is now (after routing, an escalation, a change of priority,
 * category, channel or the customer's tier). When it differs from the ticket's policy, the live clocks move
 * to the new one keeping the working time already used (as `reapplyToTicket`), and the timeline says why.
 * A ticket that had no clocks at all gets them started as a new ticket would. Returns the policy's id now.
 * `ticket` must be the row as changed; `customerTier` is read when not given.
 */
export async function rematchSlaPolicy(s: SlaSession, ticket: Ticket, customerTier?: CustomerTier): Promise<string | null> {
  if (FINISHED_STATUSES.includes(ticket.status)) return ticket.slaPolicyId;
  const policies = await s.allPolicies();
  if (!policies.some((p) => p.active) && !ticket.slaPolicyId) return null;
  const tier =
    customerTier ??
    (await s.memo(`tier:${ticket.customerId}`, async () => (await s.tx.select({ tier: customers.tier }).from(customers).where(eq(customers.id, ticket.customerId)))[0]!.tier));
  const policy = matchPolicy(policies, { ...ticket, customerTier: tier });
  const to = policy?.id ?? null;
  if (to === ticket.slaPolicyId) return to;
  const [any] = await s.tx.select({ id: slaClocks.id }).from(slaClocks).where(eq(slaClocks.ticketId, ticket.id)).limit(1);
  if (!any && policy) {
    await s.tx.update(tickets).set({ slaPolicyId: policy.id }).where(eq(tickets.id, ticket.id));
    await startClocks(s, policy, { ...ticket, slaPolicyId: policy.id }, TICKET_START_METRICS.map((metric) => ({ metric, cycle: 1 })));
  } else {
    await reapplyToTicket(s, ticket, tier);
  }
  await appendEvents(s.tx, s.actor, s.now, [
    { ticketId: ticket.id, type: "sla.rematched", visibility: "internal", data: { policyId: { from: ticket.slaPolicyId, to } } },
  ]);
  return to;
}

/**
 * Re-applies the current policies to an open ticket (after a policy change): the ticket may match another
 * policy; live clocks take the new targets and calendar, counting the working time already used.
 */
export async function reapplyToTicket(s: SlaSession, ticket: Ticket, customerTier: CustomerTier): Promise<void> {
  if (FINISHED_STATUSES.includes(ticket.status)) return;
  const policy = matchPolicy(await s.allPolicies(), { ...ticket, customerTier });
  if (policy?.id !== ticket.slaPolicyId) {
    await s.tx.update(tickets).set({ slaPolicyId: policy?.id ?? null }).where(eq(tickets.id, ticket.id));
  }
  const live = await liveClocks(s, ticket.id);
  for (const clock of live) {
    const targetMs = policy ? targetMsOf(policy, clock.metric, ticket.priority) : null;
    if (!policy || targetMs === null) {
      await stopClock(s, clock, "cancelled", "no_target");
      continue;
    }
    await s.tx.update(slaClocks).set({ policyId: policy.id }).where(eq(slaClocks.id, clock.id));
    await retarget(s, policy, { ...clock, policyId: policy.id }, targetMs);
  }
  if (policy) {
    for (const metric of TICKET_START_METRICS) {
      if (metric === "first_response") continue; // owed only once, at the start
      if (!live.some((c) => c.metric === metric)) await startClock(s, policy, { ...ticket, slaPolicyId: policy.id }, metric, 1);
    }
  }
}

/** Starts clocks (one per metric the policy sets a target for) with one insert, one event insert and one deadline write. */
async function startClocks(s: SlaSession, policy: SlaPolicy, ticket: Ticket, starts: { metric: SlaMetric; cycle: number }[]): Promise<void> {
  const wt = await s.calendars.of(policy.calendarId);
  const paused = pausesIn(policy, ticket.status);
  const values = starts.flatMap(({ metric, cycle }) => {
    const targetMs = targetMsOf(policy, metric, ticket.priority);
    if (targetMs === null) return [];
    return [
      {
        ticketId: ticket.id,
        policyId: policy.id,
        metric,
        cycle,
        state: paused ? ("paused" as const) : ("running" as const),
        targetMs,
        startedAt: s.now,
        runningSince: paused ? null : s.now,
        dueAt: paused ? null : wt.add(s.now, targetMs),
        pauses: paused ? [{ from: s.now.toISOString(), to: null }] : [],
      },
    ];
  });
  if (values.length === 0) return;
  const clocks = await s.tx.insert(slaClocks).values(values).returning();
  await appendEvents(
    s.tx,
    s.actor,
    s.now,
    clocks.map((c) => ({
      ticketId: ticket.id,
      type: "sla.clock_started",
      visibility: "internal" as const,
      data: { clockId: c.id, metric: c.metric, cycle: c.cycle, targetMs: c.targetMs, dueAt: c.dueAt },
    })),
  );
  await upsertDeadlines(s, ticket.id, clocks.flatMap((c) => deadlinesOf(s, policy, c, wt)));
}

async function startClock(s: SlaSession, policy: SlaPolicy, ticket: Ticket, metric: SlaMetric, cycle: number): Promise<void> {
  await startClocks(s, policy, ticket, [{ metric, cycle }]);
}

async function pauseClock(s: SlaSession, policy: SlaPolicy, clock: SlaClock): Promise<void> {
  const wt = await s.calendars.of(policy.calendarId);
  const elapsedMs = clock.elapsedMs + wt.between(clock.runningSince!, s.now);
  await s.tx
    .update(slaClocks)
    .set({
      elapsedMs,
      runningSince: null,
      dueAt: null,
      state: clock.state === "breached" ? "breached" : "paused",
      pauses: [...clock.pauses, { from: s.now.toISOString(), to: null }],
    })
    .where(eq(slaClocks.id, clock.id));
  await unschedule(s, clock.id);
}

async function resumeClock(s: SlaSession, policy: SlaPolicy, clock: SlaClock): Promise<void> {
  const wt = await s.calendars.of(policy.calendarId);
  const pauses = clock.pauses.map((p, i) => (i === clock.pauses.length - 1 && p.to === null ? { ...p, to: s.now.toISOString() } : p));
  const [resumed] = await s.tx
    .update(slaClocks)
    .set({
      runningSince: s.now,
      dueAt: dueOf(wt, s.now, clock.targetMs, clock.elapsedMs, clock.breachedAt),
      state: clock.state === "breached" ? "breached" : "running",
      pauses,
    })
    .where(eq(slaClocks.id, clock.id))
    .returning();
  await schedule(s, policy, resumed!, wt);
}

async function retarget(s: SlaSession, policy: SlaPolicy, clock: SlaClock, targetMs: number): Promise<void> {
  const wt = await s.calendars.of(policy.calendarId);
  const running = clock.runningSince !== null;
  // Fold the running span into elapsed so the new due time counts from now.
  const elapsedMs = running ? clock.elapsedMs + wt.between(clock.runningSince!, s.now) : clock.elapsedMs;
  const [updated] = await s.tx
    .update(slaClocks)
    .set({
      targetMs,
      elapsedMs,
      runningSince: running ? s.now : null,
      dueAt: running ? dueOf(wt, s.now, targetMs, elapsedMs, clock.breachedAt) : null,
    })
    .where(eq(slaClocks.id, clock.id))
    .returning();
  await unschedule(s, clock.id);
  if (running) await schedule(s, policy, updated!, wt);
}

/**
 * Stops a clock as met or cancelled, unless it was already breached (then it stays breached, now stopped).
 * `why` is recorded on the event: what stopped it (`public_reply`, `ticket_resolved`, `ticket_closed`,
 * `no_target`).
 */
async function stopClock(s: SlaSession, clock: SlaClock, outcome: "met" | "cancelled", why: string): Promise<void> {
  const policy = (await s.allPolicies()).find((p) => p.id === clock.policyId);
  const wt = await s.calendars.of(policy?.calendarId ?? null);
  const elapsedMs = clock.runningSince ? clock.elapsedMs + wt.between(clock.runningSince, s.now) : clock.elapsedMs;
  const pauses = clock.pauses.map((p) => (p.to === null ? { ...p, to: s.now.toISOString() } : p));
  const state = clock.state === "breached" ? "breached" : outcome;
  await s.tx
    .update(slaClocks)
    .set({ state, stoppedAt: s.now, elapsedMs, runningSince: null, pauses })
    .where(eq(slaClocks.id, clock.id));
  await unschedule(s, clock.id);
  await appendEvents(s.tx, s.actor, s.now, [
    { ticketId: clock.ticketId, type: STOP_EVENTS[state], visibility: "internal", data: { clockId: clock.id, metric: clock.metric, elapsedMs, targetMs: clock.targetMs, why } },
  ]);
}

const STOP_EVENTS = { met: "sla.met", cancelled: "sla.cancelled", breached: "sla.stopped_after_breach" } as const;

/** The due time of a running clock; a breached clock keeps the time it was breached at. */
function dueOf(wt: WorkingTime, runningSince: Date, targetMs: number, elapsedMs: number, breachedAt: Date | null): Date {
  if (breachedAt) return breachedAt;
  return wt.add(runningSince, Math.max(0, targetMs - elapsedMs));
}

/**
 * The working-time offset from the clock's start at which a step fires: a warning at a share of the
 * target or some time before it; an escalation some time after the breach, plus each repeat.
 */
export function stepOffsetMs(step: SlaStepSpec, targetMs: number, repeat: number): number | null {
  if (step.type === "warning") {
    const at = step.atPercent !== undefined ? Math.floor((targetMs * step.atPercent) / 100) : targetMs - (isoDurationMs(step.before!) ?? 0);
    return at > 0 ? at : null;
  }
  const after = isoDurationMs(step.after) ?? 0;
  const every = step.repeatEvery ? (isoDurationMs(step.repeatEvery) ?? 0) : 0;
  return targetMs + after + repeat * every;
}

/** The instant a running clock reaches a working-time offset (now, if it already has). */
export function instantOfOffset(wt: WorkingTime, clock: SlaClock, offsetMs: number, now: Date): Date {
  const usedMs = clock.elapsedMs + wt.between(clock.runningSince!, now);
  if (offsetMs <= usedMs) return now;
  return wt.add(now, offsetMs - usedMs);
}

type NewDeadline = { clockId: string | null; escalationId: string | null; stepKey: string; dueAt: Date; payload: Record<string, unknown> };

/** The pending deadlines of a running clock: its breach and each step of its metric. */
function deadlinesOf(s: SlaSession, policy: SlaPolicy, clock: SlaClock, wt: WorkingTime): NewDeadline[] {
  if (clock.runningSince === null || clock.stoppedAt !== null) return [];
  const at = (offset: number) => instantOfOffset(wt, clock, offset, s.now);
  const rows: NewDeadline[] = [];
  if (clock.state !== "breached") rows.push({ clockId: clock.id, escalationId: null, stepKey: "breach", dueAt: at(clock.targetMs), payload: { type: "breach" } });
  policy.steps.forEach((step, index) => {
    if (step.metric !== clock.metric) return;
    if (step.type === "warning" && clock.state === "breached") return;
    const offset = stepOffsetMs(step, clock.targetMs, 0);
    if (offset === null) return;
    rows.push({ clockId: clock.id, escalationId: null, stepKey: `step:${index}:0`, dueAt: at(offset), payload: { ...step, index, repeat: 0, policyId: policy.id } });
  });
  return rows;
}

/** Writes the pending deadlines of a running clock (a step that already fired is not written again). */
async function schedule(s: SlaSession, policy: SlaPolicy, clock: SlaClock, wt: WorkingTime): Promise<void> {
  await upsertDeadlines(s, clock.ticketId, deadlinesOf(s, policy, clock, wt));
}

/**
 * Inserts pending deadlines, or moves them if not yet fired; a step that has fired keeps its row and is not
 * written again, so pausing and resuming a clock never fires a step twice. Engines are told only about a
 * deadline due within the notify horizon: a later one is found by their next re-read, before it is due.
 */
export async function upsertDeadlines(s: SlaSession, ticketId: string, rows: NewDeadline[]): Promise<void> {
  for (const kind of ["clock", "escalation"] as const) {
    const part = rows.filter((r) => (kind === "clock" ? r.clockId !== null : r.escalationId !== null));
    if (part.length === 0) continue;
    const json = JSON.stringify(part.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() })));
    const target = kind === "clock" ? sql`(clock_id, step_key) where clock_id is not null` : sql`(escalation_id, step_key) where escalation_id is not null`;
    await s.tx.execute(sql`insert into ${deadlines} (due_at, ticket_id, clock_id, escalation_id, step_key, payload, created_at)
      select r."dueAt", ${ticketId}, r."clockId", r."escalationId", r."stepKey", r.payload, ${s.now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as r("dueAt" timestamptz, "clockId" uuid, "escalationId" uuid, "stepKey" text, payload jsonb)
      on conflict ${target} do update set due_at = excluded.due_at, payload = excluded.payload where ${deadlines}.fired_at is null`);
  }
  await s.notifyEnginesOf(rows.map((r) => r.dueAt));
}

/** Writes ticket-level timers (no clock, escalation or approval: time-triggered rules), telling engines as above. */
export async function upsertTicketTimers(s: SlaSession, ticketId: string, rows: { stepKey: string; dueAt: Date; payload: Record<string, unknown> }[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ ...r, dueAt: r.dueAt.toISOString() })));
  await s.tx.execute(sql`insert into ${deadlines} (due_at, ticket_id, step_key, payload, created_at)
    select r."dueAt", ${ticketId}, r."stepKey", r.payload, ${s.now.toISOString()}::timestamptz
    from jsonb_to_recordset(${json}::jsonb) as r("dueAt" timestamptz, "stepKey" text, payload jsonb)
    on conflict (ticket_id, step_key) where clock_id is null and escalation_id is null and approval_id is null do nothing`);
  await s.notifyEnginesOf(rows.map((r) => r.dueAt));
}

/** Removes a clock's deadlines that have not fired (it paused or stopped). */
async function unschedule(s: SlaSession, clockId: string): Promise<void> {
  await s.tx.delete(deadlines).where(and(eq(deadlines.clockId, clockId), isNull(deadlines.firedAt)));
}


/** Starts the acknowledgement timer of a new escalation when the ticket's policy sets one. */
export async function startAcknowledgementTimer(s: SlaSession, ticket: Ticket, escalation: { id: string }): Promise<void> {
  const policy = await s.policyOf(ticket);
  const timeoutMs = policy?.ackTimeout ? isoDurationMs(policy.ackTimeout) : null;
  if (!policy || !timeoutMs) return;
  const wt = await s.calendars.of(policy.calendarId);
  await upsertDeadlines(s, ticket.id, [
    { clockId: null, escalationId: escalation.id, stepKey: "ack", dueAt: wt.add(s.now, timeoutMs), payload: { type: "ack", policyId: policy.id, timeout: policy.ackTimeout } },
  ]);
}
