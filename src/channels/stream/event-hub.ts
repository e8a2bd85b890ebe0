import { eq, sql } from "drizzle-orm";
import { PRESENCE_CHANNEL } from "../../commands/set-presence.js";
import { queryRows } from "../../db/raw.js";
import { tickets } from "../../db/schema.js";
import type { Store } from "../../db/store.js";
import { systemClock, type Clock } from "../../domain/clock.js";
import type { Principal } from "../../domain/principal.js";
import { presenceOf } from "../../queries/presence.queries.js";
import type { PresenceView } from "../../schemas/presence.schemas.js";
import { eventIdsAfter, LOAD_BATCH, loadStreamEvents, type StreamEvent } from "./stream-event.js";
import { canSeeStreamEvent } from "./visibility.js";

/** The NOTIFY channel of the `events_notify` trigger (migration 0006): comma-separated event ids, or 'resync'. */
export const EVENTS_CHANNEL = "tierline_events";

/**
 * How far below the highest id seen a 'resync' looks again: ids are taken in insert order but committed in
 * commit order, so a large statement's events can sit below ids already delivered.
 */
const RESYNC_MARGIN = 1_000;
/** Ids remembered as delivered, so a resync that re-reads a range sends none of them twice. */
const REMEMBERED_IDS = 20_000;

/** One connected live view: who it is for, what it follows, and where its events go. */
export type StreamSubscriber = {
  /** The caller; the connection may replace it when it re-checks the caller (team changes). */
  principal: Principal;
  /** Follow only this ticket. */
  ticketId?: string | undefined;
  deliver(event: StreamEvent): void;
  /** Who is on a ticket now (`presence.changed`), for staff streams that show it; not a timeline event. */
  deliverPresence?(update: PresenceUpdate): void;
  /** Called when the hub stops (the server is shutting down). */
  close(): void;
};

/** The agents on a ticket after a change of presence: the whole list, so a view replaces what it shows. */
export type PresenceUpdate = { ticketId: string; ticketNumber: number; viewers: PresenceView[] };

/** `clock` dates presence (whose heartbeats are stamped with the commands' clock); the system clock by default. */
export type EventHubOptions = { store: Store; clock?: Clock; onError?: (err: unknown) => void };

/**
 * Live timeline events for every connected stream of this process, from every instance: one LISTEN on
 * 'tierline_events' per process (not per connection), started with the first subscriber. Each
 * notification's ids are loaded in one query (notifications that arrive meanwhile are batched into the
 * next one) and fanned out, oldest first, to the subscribers whose caller may see the ticket.
 */
export class EventHub {
  private readonly subscribers = new Set<StreamSubscriber>();
  private starting: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private unlistenPresence: (() => Promise<void>) | undefined;
  /** Presence notifications are handled one after another, so a later list never arrives before an earlier one. */
  private presenceChain: Promise<void> = Promise.resolve();
  private pendingIds: number[] = [];
  private resyncWanted = false;
  private draining: Promise<void> | undefined;
  private highWater = 0;
  private readonly delivered = new Set<number>();
  private stopped = false;

  constructor(private readonly opts: EventHubOptions) {}

  /** Adds a subscriber once the listener runs: every event committed after this resolves reaches it. */
  async subscribe(subscriber: StreamSubscriber): Promise<() => void> {
    if (this.stopped) throw new Error("the live-update hub has stopped");
    await this.start();
    this.subscribers.add(subscriber);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** How many streams are connected. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Stops listening and closes every connected stream (clients reconnect to another instance). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of [...this.subscribers]) s.close();
    this.subscribers.clear();
    await this.starting?.catch(() => undefined);
    await this.unlisten?.();
    await this.unlistenPresence?.();
    await this.draining;
    await this.presenceChain;
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      this.unlisten = await this.opts.store.listen(EVENTS_CHANNEL, (payload) => this.onNotify(payload));
      this.unlistenPresence = await this.opts.store.listen(PRESENCE_CHANNEL, (ticketId) => this.onPresence(ticketId));
      this.highWater = await this.maxEventId();
    })().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private onNotify(payload: string): void {
    if (this.stopped) return;
    if (payload === "resync") this.resyncWanted = true;
    else {
      for (const part of payload.split(",")) {
        const id = Number(part);
        if (Number.isSafeInteger(id) && id > 0) this.pendingIds.push(id);
      }
    }
    this.drain();
  }

  /**
   * A presence change on a ticket (from any instance): loads who is on it now and tells the staff streams
   * that may see the ticket (its team, its assignee, managers and admins; never customers).
   */
  private onPresence(ticketId: string): void {
    if (this.stopped || !/^[0-9a-f-]{36}$/i.test(ticketId)) return;
    this.presenceChain = this.presenceChain.then(async () => {
      if (this.stopped || this.subscribers.size === 0) return;
      try {
        const db = this.opts.store.db;
        const [ticket] = await db
          .select({ number: tickets.number, teamId: tickets.teamId, assigneeId: tickets.assigneeId, customerId: tickets.customerId })
          .from(tickets)
          .where(eq(tickets.id, ticketId));
        if (!ticket) return;
        const update: PresenceUpdate = { ticketId, ticketNumber: ticket.number, viewers: await presenceOf(db, ticketId, (this.opts.clock ?? systemClock).now()) };
        const access = { teamId: ticket.teamId, eventTeamIds: [], assigneeId: ticket.assigneeId, customerId: ticket.customerId, participantIds: [] };
        for (const s of this.subscribers) {
          if (!s.deliverPresence || s.principal.kind === "customer") continue;
          if (s.ticketId !== undefined && s.ticketId !== ticketId) continue;
          if (!canSeeStreamEvent(s.principal, { visibility: "internal", access })) continue;
          s.deliverPresence(update);
        }
      } catch (err) {
        this.opts.onError?.(err);
      }
    });
  }

  /** Loads and fans out what is pending; one drain at a time, which takes everything that arrived meanwhile. */
  private drain(): void {
    if (this.draining) return;
    this.draining = this.drainPending().finally(() => {
      this.draining = undefined;
      // A notification that came after the loop's last look and before this point found a drain running.
      if (!this.stopped && (this.pendingIds.length > 0 || this.resyncWanted)) this.drain();
    });
  }

  private async drainPending(): Promise<void> {
    while (!this.stopped && (this.pendingIds.length > 0 || this.resyncWanted)) {
      try {
        if (this.subscribers.size === 0) {
          // Nobody to tell: only keep the high-water mark current for the next resync.
          for (const id of this.pendingIds.splice(0)) if (id > this.highWater) this.highWater = id;
          if (this.resyncWanted) {
            this.resyncWanted = false;
            this.highWater = Math.max(this.highWater, await this.maxEventId());
          }
          continue;
        }
        if (this.resyncWanted) {
          this.resyncWanted = false;
          await this.catchUp();
        }
        const ids = this.pendingIds.splice(0, LOAD_BATCH).filter((id) => !this.delivered.has(id));
        this.fanOut(await loadStreamEvents(this.opts.store.db, ids));
      } catch (err) {
        // The batch is lost for live views; a client that reconnects replays it from its Last-Event-ID.
        this.opts.onError?.(err);
      }
    }
  }

  /** After a 'resync' (a statement wrote too many events to list): everything above the high-water mark, by pages. */
  private async catchUp(): Promise<void> {
    let after = Math.max(0, this.highWater - RESYNC_MARGIN);
    for (;;) {
      const ids = await eventIdsAfter(this.opts.store.db, after, LOAD_BATCH);
      if (ids.length === 0) return;
      after = ids[ids.length - 1]!;
      this.fanOut(await loadStreamEvents(this.opts.store.db, ids.filter((id) => !this.delivered.has(id))));
      if (ids.length < LOAD_BATCH) return;
    }
  }

  private fanOut(batch: StreamEvent[]): void {
    for (const event of batch) {
      if (this.delivered.has(event.id)) continue;
      this.remember(event.id);
      for (const s of this.subscribers) {
        if (s.ticketId !== undefined && s.ticketId !== event.ticketId) continue;
        if (!canSeeStreamEvent(s.principal, event)) continue;
        try {
          s.deliver(event);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
    }
  }

  private remember(id: number): void {
    this.delivered.add(id);
    if (id > this.highWater) this.highWater = id;
    if (this.delivered.size > REMEMBERED_IDS) this.delivered.delete(this.delivered.values().next().value!);
  }

  private async maxEventId(): Promise<number> {
    const [row] = await queryRows<{ max: number }>(this.opts.store.db, sql`select coalesce(max(id), 0)::float8 as max from events`);
    return Number(row?.max ?? 0);
  }
}
