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

/** Appends events to tickets' timelines inside the caller's transaction. */
export async function appendEvents(tx: Tx, actor: Principal, at: Date, list: NewEvent[]): Promise<void> {
  if (list.length === 0) return;
  await tx.insert(events).values(
    list.map((e) => ({ ...e, actorType: actor.kind, actorId: actorIdOf(actor), createdAt: at })),
  );
}

/** Queues a side effect (notification, webhook, live update) for delivery after the transaction commits. */
export async function enqueue(tx: Tx, at: Date, topic: string, payload: Record<string, unknown>): Promise<void> {
  await tx.insert(outbox).values({ topic, payload, createdAt: at });
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
