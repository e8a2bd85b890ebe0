import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { deadlines, slaClocks, tickets, type Deadline } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { SYSTEM } from "../domain/principal.js";
import { withBufferedTimeline } from "../commands/support/timeline.js";
import { DEADLINES_CHANNEL, ENGINE_RESYNC_MS, SlaSession } from "../sla/clocks.js";
import { fireDeadline } from "./fire-deadline.js";

/** How long a deadline whose firing failed waits before it is tried again. */
const RETRY_AFTER_ERROR_MS = 30_000;

export type EngineOptions = {
  store: Store;
  clock: Clock;
  /** Deadlines claimed per transaction. */
  batchSize?: number;
  /** Claiming loops run at once (PostgreSQL only; PGlite is one session). */
  workers?: number;
  /**
   * Safety-net re-read of the next due time. Not a polling interval (wake-ups come from timers); writers skip
   * the NOTIFY for deadlines further away than notifyHorizonOf(ENGINE_RESYNC_MS), so it is capped at
   * ENGINE_RESYNC_MS (shorter is always safe).
   */
  resyncMs?: number;
  /** Called after each committed batch with the deadlines it fired and the commit time (benchmarks use it). */
  onCommitted?: (fired: Deadline[], committedAt: Date) => void;
  onError?: (err: unknown) => void;
};

/**
 * The deadline engine. It keeps the next due time in memory and sets one timer for exactly then; a
 * NOTIFY from any instance (sent when deadlines are written) makes it re-read that time. When woken it
 * claims due rows, oldest first, with FOR UPDATE SKIP LOCKED, and fires each in the claiming transaction,
 * so any number of instances share the work and each step fires once; a crash before commit releases the
 * claim for another instance. It drains everything due, with no cap per run.
 */
export class DeadlineEngine {
  private readonly batchSize: number;
  private readonly workers: number;
  private readonly resyncMs: number;
  private timer: NodeJS.Timeout | undefined;
  private resync: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private draining: Promise<number> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly opts: EngineOptions) {
    this.batchSize = opts.batchSize ?? 100;
    this.workers = opts.store.kind === "pglite" ? 1 : (opts.workers ?? 4);
    this.resyncMs = Math.min(opts.resyncMs ?? ENGINE_RESYNC_MS, ENGINE_RESYNC_MS);
  }

  /** Starts listening and fires everything already overdue. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.opts.store.listen(DEADLINES_CHANNEL, () => void this.wake());
    this.resync = setInterval(() => void this.wake(), this.resyncMs);
    this.resync.unref();
    await this.wake();
  }

  /** Whether the engine is started and not stopped (what `/readyz` reports). */
  get isRunning(): boolean {
    return !this.stopped;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.resync);
    await this.unlisten?.();
    await this.draining;
  }

  /** Fires what is due, then arms the timer for the next due time. */
  private async wake(): Promise<void> {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true; // a drain is running: it will look again when it ends
      return;
    }
    try {
      do {
        this.again = false;
        this.draining = this.drainDue();
        await this.draining;
      } while (this.again && !this.stopped);
      await this.arm();
    } catch (err) {
      this.opts.onError?.(err);
      this.timer = setTimeout(() => void this.wake(), 1_000);
    } finally {
      this.draining = undefined;
    }
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    const [row] = await queryRows<{ next: number | null }>(
      this.opts.store.db,
      sql`select (extract(epoch from min(due_at)) * 1000)::float8 as next from ${deadlines} where fired_at is null`,
    );
    clearTimeout(this.timer);
    if (row?.next === null || row?.next === undefined) return; // nothing pending: a NOTIFY or the resync wakes us
    const delay = Math.max(0, Math.min(row.next - this.opts.clock.now().getTime(), this.resyncMs));
    this.timer = setTimeout(() => void this.wake(), delay);
  }

  /**
   * Fires every deadline due now, across `workers` claiming loops; returns how many fired. Tests driving a
   * fake clock call this directly.
   */
  async drainDue(): Promise<number> {
    const counts = await Promise.all(Array.from({ length: this.workers }, () => this.claimLoop()));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async claimLoop(): Promise<number> {
    let total = 0;
    let oneByOne = 0; // after a failed batch, that many claims go one at a time to isolate the failing step
    for (;;) {
      const limit = oneByOne > 0 ? 1 : this.batchSize;
      if (oneByOne > 0) oneByOne--;
      const { claimed, fired, busy, failedIds } = await this.fireBatch(limit);
      total += fired;
      if (failedIds.length > 0) {
        if (limit > 1) oneByOne = limit;
        else await this.postpone(failedIds);
        continue;
      }
      if (claimed === 0) return total;
      // Every claimed ticket was busy with a command: give it a moment rather than spin.
      if (busy === claimed) await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Claims up to `limit` due deadlines and fires them in one transaction. Their tickets are locked with
   * SKIP LOCKED: a ticket a command holds right now is left for the next round (waiting for it while
   * holding deadline locks could deadlock with that command). A failure rolls the whole batch back and
   * reports the claimed ids.
   */
  private async fireBatch(limit: number): Promise<{ claimed: number; fired: number; busy: number; failedIds: number[] }> {
    const now = this.opts.clock.now();
    let claimedIds: number[] = [];
    let firedRows: Deadline[] = [];
    let busy = 0;
    try {
      await this.opts.store.db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(deadlines)
          .where(sql`${deadlines.firedAt} is null and ${deadlines.dueAt} <= ${now.toISOString()}::timestamptz`)
          .orderBy(deadlines.dueAt, deadlines.id)
          .limit(limit)
          .for("update", { skipLocked: true });
        claimedIds = due.map((d) => d.id);
        if (due.length === 0) return;
        const ticketIds = [...new Set(due.map((d) => d.ticketId))];
        const locked = await tx.select().from(tickets).where(inArray(tickets.id, ticketIds)).for("update", { skipLocked: true });
        const ticketById = new Map(locked.map((t) => [t.id, t]));
        const clockIds = [...new Set(due.flatMap((d) => (d.clockId ? [d.clockId] : [])))];
        const clockRows = clockIds.length > 0 ? await tx.select().from(slaClocks).where(inArray(slaClocks.id, clockIds)) : [];
        const clockById = new Map(clockRows.map((c) => [c.id, c]));
        const remaining = new Map<string, number>();
        for (const d of due) remaining.set(d.ticketId, (remaining.get(d.ticketId) ?? 0) + 1);

        const session = new SlaSession(tx, now, SYSTEM);
        const done: number[] = [];
        const fired: Deadline[] = [];
        // Timeline and outbox rows of the whole batch are written together, still in this transaction.
        await withBufferedTimeline(tx, async () => {
          for (const d of due) {
            const ticket = ticketById.get(d.ticketId);
            remaining.set(d.ticketId, remaining.get(d.ticketId)! - 1);
            if (!ticket) {
              busy++;
              continue;
            }
            const outcome = await fireDeadline(session, d, ticket, d.clockId ? clockById.get(d.clockId) : undefined);
            done.push(d.id);
            if (outcome === "fired") fired.push(d);
            // A breach or warning changes no ticket; an escalation does.
            const changedTicket = outcome === "fired" && (d.escalationId !== null || (d.payload as { type?: string }).type === "escalate");
            if (changedTicket && remaining.get(d.ticketId)! > 0) {
              // Another deadline of this ticket follows in the batch: let it see what this one changed.
              const [fresh] = await tx.select().from(tickets).where(eq(tickets.id, d.ticketId));
              ticketById.set(d.ticketId, fresh!);
              if (d.clockId) {
                const [c] = await tx.select().from(slaClocks).where(eq(slaClocks.id, d.clockId));
                clockById.set(d.clockId, c!);
              }
            }
          }
        });
        await session.flushBreaches();
        if (done.length > 0) await tx.update(deadlines).set({ firedAt: now }).where(inArray(deadlines.id, done));
        firedRows = fired;
      });
    } catch (err) {
      this.opts.onError?.(err);
      return { claimed: claimedIds.length, fired: 0, busy: 0, failedIds: claimedIds };
    }
    if (firedRows.length > 0) this.opts.onCommitted?.(firedRows, new Date());
    return { claimed: claimedIds.length, fired: firedRows.length, busy, failedIds: [] };
  }

  /** A deadline whose firing throws is tried again later rather than blocking the ones behind it. */
  private async postpone(ids: number[]): Promise<void> {
    const later = new Date(this.opts.clock.now().getTime() + RETRY_AFTER_ERROR_MS).toISOString();
    await this.opts.store.db
      .update(deadlines)
      .set({ dueAt: sql`${later}::timestamptz` })
      .where(and(inArray(deadlines.id, ids), isNull(deadlines.firedAt)));
  }
}
