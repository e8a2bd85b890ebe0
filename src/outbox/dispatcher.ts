import { and, asc, eq, inArray, isNull, lte, notInArray, or, sql } from "drizzle-orm";
import { deliveries, outbox, type Delivery, type DeliveryChannel } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Db, Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from "./backoff.js";
import { PermanentDeliveryError, type DeliveryPlanner, type DeliverySender, type OutboxMessage, type PlannedDelivery } from "./types.js";

/** The NOTIFY channel that wakes dispatchers: sent by a trigger on every outbox insert, and by a manual retry. */
export const OUTBOX_CHANNEL = "tierline_outbox";

const CHANNELS: DeliveryChannel[] = ["email", "webhook"];

/** Where the dispatcher reports; a pino logger fits. Deliveries are named by id, never by secret or full URL. */
export type DispatcherLog = {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type DispatcherOptions = {
  store: Store;
  clock: Clock;
  log: DispatcherLog;
  /** Each outbox message is offered to every planner; together they decide its deliveries. */
  planners: DeliveryPlanner[];
  /** A channel without a sender (email not configured) keeps its deliveries pending. */
  senders: Partial<Record<DeliveryChannel, DeliverySender>>;
  /** Attempts before a delivery is dead (kept, and retryable by hand). */
  maxAttempts: number;
  backoff?: BackoffPolicy;
  /** How long a claimed delivery is reserved for its sender; after that (a crashed sender) it is sent again. */
  leaseMs?: number;
  /** Outbox rows fanned out per transaction. */
  batchSize?: number;
  /** Deliveries being sent at once by this instance. */
  concurrency?: number;
  /** Safety-net wake-up, in case a NOTIFY was missed (a dropped LISTEN connection). */
  resyncMs?: number;
  /** False: no LISTEN and no timers, only `drain()` (tests driving a fake clock). */
  wakeUps?: boolean;
  /** Jitter source, [0, 1). */
  random?: () => number;
};

/** What one `drain()` did. */
export type DrainResult = { dispatched: number; delivered: number; retried: number; dead: number };

export type Dispatcher = {
  /** Stops the wake-ups and waits for the work in flight. */
  stop(): Promise<void>;
  /** Fans out and sends everything due at the clock's now, until nothing is left; tests call it after moving the clock. */
  drain(): Promise<DrainResult>;
};

/**
 * Starts the outbox dispatcher. It works in two durable stages:
 *
 * 1. Fan-out: claims undispatched outbox rows in id order (FOR UPDATE SKIP LOCKED, so instances share
 *    them), asks every planner what deliveries each row causes, inserts them (a repeated idempotency key
 *    inserts nothing) and marks the rows dispatched, all in one transaction: a crash redoes the whole
 *    batch or nothing of it.
 * 2. Send: claims due pending deliveries with a lease (locked_until, attempts + 1) and commits, sends
 *    outside any transaction, then records delivered, a retry with exponential backoff and jitter, or dead
 *    after the last attempt or a permanent failure. A sender that dies mid-send leaves the lease to
 *    expire, and the delivery is sent again: at least once; the idempotency key lets receivers drop repeats.
 *
 * Wake-ups: LISTEN on OUTBOX_CHANNEL, a timer for the next retry or lease expiry, and a slow resync.
 */
export async function startDispatcher(opts: DispatcherOptions): Promise<Dispatcher> {
  const dispatcher = new OutboxDispatcher(opts);
  if (opts.wakeUps !== false) await dispatcher.start();
  return { stop: () => dispatcher.stop(), drain: () => dispatcher.drain() };
}

/**
 * Claims up to `limit` due deliveries of the given channels for this instance: sets their lease and counts
 * the attempt, and commits before anything is sent. A lease that has passed counts as free.
 */
export async function claimDueDeliveries(
  db: Db,
  opts: { now: Date; leaseMs: number; channels: DeliveryChannel[]; limit: number },
): Promise<Delivery[]> {
  if (opts.channels.length === 0) return [];
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.status, "pending"),
          lte(deliveries.nextAttemptAt, opts.now),
          or(isNull(deliveries.lockedUntil), lte(deliveries.lockedUntil, opts.now)),
          inArray(deliveries.channel, opts.channels),
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
      .limit(opts.limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(deliveries)
      .set({ lockedUntil: new Date(opts.now.getTime() + opts.leaseMs), attempts: sql`${deliveries.attempts} + 1` })
      .where(inArray(deliveries.id, due.map((d) => d.id)))
      .returning();
  });
  return claimed.sort((a, b) => a.id - b.id);
}

/** A one-line account of an error for last_error and the log (with its cause: fetch puts the reason there). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 500);
  const cause = err.cause instanceof Error ? err.cause.message : typeof err.cause === "string" ? err.cause : "";
  return (cause && !err.message.includes(cause) ? `${err.message}: ${cause}` : err.message).slice(0, 500);
}

// One planning failure is retried after this, doubling to at most an hour.
const PLAN_RETRY: BackoffPolicy = { baseMs: 5_000, maxMs: 3_600_000, jitter: 0.1 };
// How long a NOTIFY waits for others to join it before the dispatcher runs.
const NOTIFY_COALESCE_MS = 100;
// Inserted deliveries per statement, well under PostgreSQL's 65,535 parameters.
const INSERT_CHUNK = 1_000;

class OutboxDispatcher {
  private readonly backoff: BackoffPolicy;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly resyncMs: number;
  private readonly random: () => number;
  private readonly sendChannels: DeliveryChannel[];
  /** Channels without a sender that have been reported as waiting, so the log says it once. */
  private readonly reportedIdle = new Set<DeliveryChannel>();
  /** Outbox rows whose planning failed: when to try each again (in memory; a restart tries them at once). */
  private readonly planFailures = new Map<number, { count: number; retryAt: number }>();
  private queue: Promise<unknown> = Promise.resolve();
  private queued: Promise<DrainResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private resync: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = true;

  constructor(private readonly opts: DispatcherOptions) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.batchSize = opts.batchSize ?? 100;
    this.concurrency = Math.max(1, opts.concurrency ?? 8);
    this.resyncMs = opts.resyncMs ?? 30_000;
    this.random = opts.random ?? Math.random;
    this.sendChannels = CHANNELS.filter((c) => opts.senders[c] !== undefined);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unlisten = await this.opts.store.listen(OUTBOX_CHANNEL, () => this.wakeSoon());
    this.resync = setInterval(() => this.wake(), this.resyncMs);
    this.resync.unref();
    // What piled up while no dispatcher ran goes out now, without holding up the caller's start-up.
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.notifyTimer);
    clearInterval(this.resync);
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.queue;
  }

  /**
   * Runs one drain after the one in progress. Calls made while a drain waits to start share it: it will
   * see everything they wanted seen.
   */
  drain(): Promise<DrainResult> {
    if (this.queued) return this.queued;
    const run = this.queue.then(() => {
      this.queued = undefined;
      return this.drainNow();
    });
    this.queued = run;
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A NOTIFY wakes the dispatcher a moment later, once for all that arrive meanwhile: under a stream of
   * commits the fan-out then takes them in batches instead of one transaction per commit (on the embedded
   * store, which runs one session, that leaves intake most of the session).
   */
  private wakeSoon(): void {
    if (this.stopped || this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.wake();
    }, NOTIFY_COALESCE_MS);
  }

  private wake(): void {
    if (this.stopped) return;
    this.drain()
      .then(() => this.arm())
      .catch((err: unknown) => {
        this.opts.log.error({ error: describeError(err) }, "outbox dispatcher: a drain failed; trying again in a second");
        if (this.stopped) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.wake(), 1_000);
      });
  }

  /** Sets the timer for the next retry, lease expiry or planning retry (at most a resync away). */
  private async arm(): Promise<void> {
    if (this.stopped) return;
    let next: number | null = null;
    if (this.sendChannels.length > 0) {
      const [row] = await queryRows<{ next: number | null }>(
        this.opts.store.db,
        sql`select (extract(epoch from min(greatest(${deliveries.nextAttemptAt}, coalesce(${deliveries.lockedUntil}, ${deliveries.nextAttemptAt})))) * 1000)::float8 as next
            from ${deliveries} where ${deliveries.status} = 'pending' and ${inArray(deliveries.channel, this.sendChannels)}`,
      );
      next = row?.next ?? null;
    }
    for (const f of this.planFailures.values()) next = next === null ? f.retryAt : Math.min(next, f.retryAt);
    clearTimeout(this.timer);
    if (next === null || this.stopped) return;
    // Something already due that this drain did not take is held by another instance right now: look again shortly.
    const delay = Math.min(Math.max(next - this.opts.clock.now().getTime(), 250), this.resyncMs);
    this.timer = setTimeout(() => this.wake(), delay);
  }

  private async drainNow(): Promise<DrainResult> {
    const total: DrainResult = { dispatched: 0, delivered: 0, retried: 0, dead: 0 };
    for (;;) {
      const dispatched = await this.fanOutAll();
      const sent = await this.sendAll();
      total.dispatched += dispatched;
      total.delivered += sent.delivered;
      total.retried += sent.retried;
      total.dead += sent.dead;
      if (dispatched === 0 && sent.delivered + sent.retried + sent.dead + sent.lost === 0) return total;
    }
  }

  /* ---------------------------------------------------------------- fan-out */

  /** Fans out every undispatched outbox row, batch by batch; a failing batch is redone row by row to isolate the row that fails. */
  private async fanOutAll(): Promise<number> {
    let total = 0;
    let oneByOne = 0;
    for (;;) {
      const limit = oneByOne > 0 ? 1 : this.batchSize;
      if (oneByOne > 0) oneByOne--;
      const batch = await this.fanOutBatch(limit);
      if (batch.failed) {
        if (limit > 1) oneByOne = batch.claimed;
        else await this.planFailed(batch.failed.id, batch.failed.error);
        continue;
      }
      if (batch.claimed === 0) return total;
      total += batch.claimed;
    }
  }

  private async fanOutBatch(limit: number): Promise<{ claimed: number; failed?: { id: number; error: unknown } }> {
    const now = this.opts.clock.now();
    const waiting = [...this.planFailures].filter(([, f]) => f.retryAt > now.getTime()).map(([id]) => id);
    let claimedIds: number[] = [];
    try {
      await this.opts.store.db.transaction(async (tx) => {
        const rows = await tx
          .select()
          .from(outbox)
          .where(and(isNull(outbox.dispatchedAt), waiting.length > 0 ? notInArray(outbox.id, waiting) : undefined))
          .orderBy(asc(outbox.id))
          .limit(limit)
          .for("update", { skipLocked: true });
        claimedIds = rows.map((r) => r.id);
        if (rows.length === 0) return;
        const planned = new Map<string, PlannedDelivery & { outboxId: number }>();
        const messages: OutboxMessage[] = rows.map((row) => ({ id: row.id, topic: row.topic, payload: row.payload, createdAt: row.createdAt }));
        for (const plan of this.opts.planners) await plan.prepare?.(tx, messages);
        for (const message of messages) {
          for (const plan of this.opts.planners) {
            for (const p of await plan(tx, message)) if (!planned.has(p.key)) planned.set(p.key, { ...p, outboxId: message.id });
          }
        }
        const values = [...planned.values()].map((p) => ({
          outboxId: p.outboxId,
          channel: p.channel,
          topic: p.topic,
          destination: p.destination,
          subscriptionId: p.subscriptionId ?? null,
          ticketId: p.ticketId ?? null,
          idempotencyKey: p.key,
          payload: p.payload,
          nextAttemptAt: now,
          createdAt: now,
        }));
        for (let i = 0; i < values.length; i += INSERT_CHUNK) {
          await tx
            .insert(deliveries)
            .values(values.slice(i, i + INSERT_CHUNK))
            .onConflictDoNothing({ target: deliveries.idempotencyKey });
        }
        await tx.update(outbox).set({ dispatchedAt: now }).where(inArray(outbox.id, claimedIds));
      });
    } catch (err) {
      // Failing before anything was claimed is the store's failure, not a row's: the caller retries the drain.
      if (claimedIds.length === 0) throw err;
      return { claimed: claimedIds.length, failed: { id: claimedIds[0]!, error: err } };
    }
    for (const id of claimedIds) this.planFailures.delete(id);
    return { claimed: claimedIds.length };
  }

  /** A row whose planning throws waits (with backoff) instead of blocking the rows behind it. */
  private async planFailed(id: number, err: unknown): Promise<void> {
    const count = (this.planFailures.get(id)?.count ?? 0) + 1;
    const wait = retryDelayMs(count, PLAN_RETRY, this.random);
    this.planFailures.set(id, { count, retryAt: this.opts.clock.now().getTime() + wait });
    this.opts.log.error({ outboxId: id, failures: count, retryInMs: wait, error: describeError(err) }, "outbox dispatcher: planning the deliveries of an outbox message failed");
    await this.opts.store.db
      .update(outbox)
      .set({ attempts: sql`${outbox.attempts} + 1` })
      .where(eq(outbox.id, id))
      .catch(() => undefined);
  }

  /* ---------------------------------------------------------------- send */

  private async sendAll(): Promise<{ delivered: number; retried: number; dead: number; lost: number }> {
    await this.reportIdleChannels();
    const counts = { delivered: 0, retried: 0, dead: 0, lost: 0 };
    if (this.sendChannels.length === 0) return counts;
    const worker = async () => {
      for (;;) {
        const [delivery] = await claimDueDeliveries(this.opts.store.db, {
          now: this.opts.clock.now(),
          leaseMs: this.leaseMs,
          channels: this.sendChannels,
          limit: 1,
        });
        if (!delivery) return;
        counts[await this.send(delivery)]++;
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return counts;
  }

  /** Sends one claimed delivery and records the outcome, unless its lease was taken over meanwhile ("lost"). */
  private async send(d: Delivery): Promise<"delivered" | "retried" | "dead" | "lost"> {
    let failure: unknown;
    let failed = false;
    try {
      await this.opts.senders[d.channel]!(d);
    } catch (err) {
      failure = err;
      failed = true;
    }
    const now = this.opts.clock.now();
    const where = and(eq(deliveries.id, d.id), eq(deliveries.status, "pending"));
    const log = { deliveryId: d.id, channel: d.channel, topic: d.topic, attempts: d.attempts };
    if (!failed) {
      const done = await this.opts.store.db
        .update(deliveries)
        .set({ status: "delivered", deliveredAt: now, lockedUntil: null, lastError: null })
        .where(where)
        .returning({ id: deliveries.id });
      this.opts.log.debug(log, "outbox dispatcher: delivered");
      return done.length > 0 ? "delivered" : "lost";
    }
    const error = describeError(failure);
    const permanent = failure instanceof PermanentDeliveryError;
    // Only the holder of the current lease (same attempt count) records a failure: a taken-over send does not undo a newer one.
    const ours = and(where, eq(deliveries.attempts, d.attempts));
    if (permanent || d.attempts >= this.opts.maxAttempts) {
      const done = await this.opts.store.db
        .update(deliveries)
        .set({ status: "dead", lockedUntil: null, lastError: error })
        .where(ours)
        .returning({ id: deliveries.id });
      this.opts.log.error({ ...log, error, permanent }, "outbox dispatcher: delivery failed for good (dead); it can be retried by hand");
      return done.length > 0 ? "dead" : "lost";
    }
    const wait = retryDelayMs(d.attempts, this.backoff, this.random);
    const done = await this.opts.store.db
      .update(deliveries)
      .set({ nextAttemptAt: new Date(now.getTime() + wait), lockedUntil: null, lastError: error })
      .where(ours)
      .returning({ id: deliveries.id });
    this.opts.log.warn({ ...log, error, retryInMs: wait }, "outbox dispatcher: delivery failed; it will be retried");
    return done.length > 0 ? "retried" : "lost";
  }

  /** Says once per channel that deliveries wait because nothing can send them (email not configured). */
  private async reportIdleChannels(): Promise<void> {
    for (const channel of CHANNELS) {
      if (this.opts.senders[channel] || this.reportedIdle.has(channel)) continue;
      const [waiting] = await this.opts.store.db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(and(eq(deliveries.status, "pending"), eq(deliveries.channel, channel)))
        .limit(1);
      if (!waiting) continue;
      this.reportedIdle.add(channel);
      this.opts.log.warn({ channel }, `outbox dispatcher: ${channel} deliveries are waiting, but no ${channel} sender is configured; they stay pending until one is`);
    }
  }
}
