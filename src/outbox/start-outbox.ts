import type { Config } from "../config.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { createEmailPlanner } from "../channels/email/outbound/plan-email.js";
import { createEmailSender } from "../channels/email/outbound/send-email.js";
import { createWebhookPlanner } from "../channels/webhooks/plan-webhooks.js";
import { createWebhookSender } from "../channels/webhooks/send-webhook.js";
import { DEFAULT_BACKOFF } from "./backoff.js";
import { startDispatcher, type Dispatcher, type DispatcherLog } from "./dispatcher.js";

/**
 * Starts the outbox dispatcher with every channel the configuration allows: webhooks always, email when
 * TIERLINE_SMTP_URL is set (otherwise email deliveries are planned and wait). Any number of instances may
 * run one against the same PostgreSQL.
 */
export async function startOutbox(opts: { store: Store; clock: Clock; config: Config; log: DispatcherLog }): Promise<Dispatcher> {
  const { store, clock, config, log } = opts;
  const email = createEmailSender(config);
  if (!email) log.info({}, "outbox dispatcher: TIERLINE_SMTP_URL is not set; email notifications wait until it is");
  const dispatcher = await startDispatcher({
    store,
    clock,
    log,
    planners: [
      createWebhookPlanner({ publicUrl: config.publicUrl }),
      createEmailPlanner({ publicUrl: config.publicUrl, mailFrom: config.mailFrom, mailDomain: config.mailDomain, timeZone: config.timeZone }),
    ],
    senders: {
      webhook: createWebhookSender({ db: store.db, clock, timeoutMs: config.webhookTimeoutSeconds * 1000 }),
      ...(email ? { email } : {}),
    },
    maxAttempts: config.deliveryMaxAttempts,
    backoff: { ...DEFAULT_BACKOFF, baseMs: config.deliveryRetrySeconds * 1000 },
  });
  return {
    drain: () => dispatcher.drain(),
    async stop() {
      await dispatcher.stop();
      email?.close();
    },
  };
}
