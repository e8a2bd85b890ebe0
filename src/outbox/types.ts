import type { Tx } from "../db/store.js";
import type { Delivery, DeliveryChannel } from "../db/schema.js";

/** One outbox row as planners see it: what a command queued in its transaction. */
export type OutboxMessage = { id: number; topic: string; payload: Record<string, unknown>; createdAt: Date };

/** A delivery to create for an outbox message; `key` must be unique per (message, destination). */
export type PlannedDelivery = {
  channel: DeliveryChannel;
  topic: string;
  destination: string;
  key: string;
  payload: Record<string, unknown>;
  ticketId?: string | null;
  subscriptionId?: string | null;
};

/** Decides, inside the fan-out transaction, what an outbox message is to be delivered as. May read (and write rows of its own, e.g. email threads) through tx. */
export type DeliveryPlanner = ((tx: Tx, message: OutboxMessage) => Promise<PlannedDelivery[]>) & {
  /**
   * Optional: called once per fan-out batch, in its transaction, before its messages are planned, so the
   * planner can read what they all need in a few queries instead of a few per message.
   */
  prepare?: (tx: Tx, messages: OutboxMessage[]) => Promise<void>;
};

/** Sends one delivery; throws to retry later, throws PermanentDeliveryError to give up at once. */
export type DeliverySender = (delivery: Delivery) => Promise<void>;

/** A failure that no retry can fix (the receiver refused the message for good): the delivery goes dead at once. */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}
