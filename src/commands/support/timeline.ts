import type { Tx } from "../../db/store.js";
import { events, outbox } from "../../db/schema.js";
import { actorIdOf, type Principal } from "../../domain/principal.js";
import type { EventVisibility } from "../../domain/vocabulary.js";

export type NewEvent = {
  ticketId: string;
  type: string;
  visibility: EventVisibility;
  data: Record<string, unknown>;
};

type EventRow = typeof events.$inferInsert;
type OutboxRow = typeof outbox.$inferInsert;

/**
 * Transactions that write many timelines at once (a deadline-engine batch) collect their rows here and
 * insert them in one statement each at the end, instead of two round trips per firing. Still the same
 * transaction, so still all or nothing.
 */
const buffers = new WeakMap<Tx, { events: EventRow[]; outbox: OutboxRow[] }>();

/** Runs `work` with the timeline and outbox rows of `tx` collected, then writes them together. */
export async function withBufferedTimeline<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  const buffer = { events: [] as EventRow[], outbox: [] as OutboxRow[] };
  buffers.set(tx, buffer);
  try {
    const result = await work();
    if (buffer.events.length > 0) await tx.insert(events).values(buffer.events);
    if (buffer.outbox.length > 0) await tx.insert(outbox).values(buffer.outbox);
    return result;
  } finally {
    buffers.delete(tx);
  }
}

/** Appends events to tickets' timelines inside the caller's transaction. */
export async function appendEvents(tx: Tx, actor: Principal, at: Date, list: NewEvent[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((e) => ({ ...e, actorType: actor.kind, actorId: actorIdOf(actor), createdAt: at }));
  const buffer = buffers.get(tx);
  if (buffer) buffer.events.push(...rows);
  else await tx.insert(events).values(rows);
}

/** Queues a side effect (notification, webhook, live update) for delivery after the transaction commits. */
export async function enqueue(tx: Tx, at: Date, topic: string, payload: Record<string, unknown>): Promise<void> {
  const row = { topic, payload, createdAt: at };
  const buffer = buffers.get(tx);
  if (buffer) buffer.outbox.push(row);
  else await tx.insert(outbox).values(row);
}

/** The fields that differ between two snapshots, as {field: {from, to}}. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = before[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
