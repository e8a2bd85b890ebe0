import { sql } from "drizzle-orm";
import { deadlines, type Deadline } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { DEADLINES_CHANNEL } from "../sla/clocks.js";
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
  /** Safety-net re-read of the next due time, in case a notification was missed. Not a polling interval: wake-ups come from timers. */
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
    this.resyncMs = opts.resyncMs ?? 30_000;
  }

  /** Starts listening and fires everything already overdue. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.opts.store.listen(DEADLINES_CHANNEL, () => void this.wake());
    this.resync = setInterval(() => void this.wake(), this.resyncMs);
    this.resync.unref();
    await this.wake();
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
    for (;;) {
      const { claimed, fired, busy } = await this.fireBatch();
      total += fired;
      if (claimed === 0) return total;
      // Every claimed ticket was busy with a command: give it a moment rather than spin.
      if (busy === claimed) await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async fireBatch(): Promise<{ claimed: number; fired: number; busy: number }> {
    const now = this.opts.clock.now();
    const firedRows: Deadline[] = [];
    const failed: number[] = [];
    let busy = 0;
    const claimed = await this.opts.store.db.transaction(async (tx) => {
      const due = await tx
        .select()
        .from(deadlines)
        .where(sql`${deadlines.firedAt} is null and ${deadlines.dueAt} <= ${now.toISOString()}::timestamptz`)
        .orderBy(deadlines.dueAt)
        .limit(this.batchSize)
        .for("update", { skipLocked: true });
      for (const d of due) {
        // One savepoint per deadline: a failing step rolls back alone and is retried later.
        try {
          const outcome = await tx.transaction(async (sp) => {
            const result = await fireDeadline(sp, d, now);
            if (result !== "busy") await sp.update(deadlines).set({ firedAt: now }).where(sql`${deadlines.id} = ${d.id}`);
            return result;
          });
          if (outcome === "busy") busy++;
          else if (outcome === "fired") firedRows.push(d);
        } catch (err) {
          this.opts.onError?.(err);
          failed.push(d.id);
        }
      }
      return due.length;
    });
    if (firedRows.length > 0) this.opts.onCommitted?.(firedRows, new Date());
    if (failed.length > 0) {
      // A step that throws is tried again later rather than blocking the ones behind it.
      await this.opts.store.db.execute(
        sql`update ${deadlines} set due_at = ${new Date(now.getTime() + RETRY_AFTER_ERROR_MS).toISOString()}::timestamptz
            where id in (${sql.join(failed.map((id) => sql`${id}`), sql`, `)}) and fired_at is null`,
      );
    }
    return { claimed: claimed - failed.length, fired: firedRows.length, busy };
  }
}
