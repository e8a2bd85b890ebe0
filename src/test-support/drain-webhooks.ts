import { createWebhookPlanner } from "../channels/webhooks/plan-webhooks.js";
import { createWebhookSender } from "../channels/webhooks/send-webhook.js";
import { startDispatcher, type DrainResult } from "../outbox/dispatcher.js";
import type { Harness } from "./harness.js";

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Runs a webhook-only outbox dispatcher once over the harness's store at its clock's now (no wake-ups). */
export async function drainWebhooks(h: Harness, maxAttempts: number): Promise<DrainResult> {
  const dispatcher = await startDispatcher({
    store: h.store,
    clock: h.clock,
    log: silent,
    wakeUps: false,
    planners: [createWebhookPlanner({ publicUrl: h.config.publicUrl })],
    senders: { webhook: createWebhookSender({ db: h.store.db, clock: h.clock, timeoutMs: 5_000 }) },
    maxAttempts,
  });
  return dispatcher.drain();
}
