import { eq } from "drizzle-orm";
import { webhookSubscriptions, type Delivery } from "../../db/schema.js";
import type { Db } from "../../db/store.js";
import type { Clock } from "../../domain/clock.js";
import { PermanentDeliveryError, type DeliverySender } from "../../outbox/types.js";
import { signatureHeader } from "./signature.js";

/** How much of a refusing receiver's answer is kept in last_error. */
const SNIPPET_BYTES = 300;

/**
 * The webhook sender: POSTs the body rendered at planning time to the subscription's current URL, signed
 * with its secret (`Tierline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), with the
 * idempotency key as `Tierline-Delivery`. Redirects are not followed, and a request that gets no answer
 * within `timeoutMs` is abandoned. 2xx is delivered; 408, 429, 5xx and network failures are retried;
 * any other answer, a deleted or deactivated webhook, is permanent. Neither the secret nor the URL's path
 * (Slack's URLs are secrets themselves) goes into an error message.
 */
export function createWebhookSender(opts: { db: Db; clock: Clock; timeoutMs: number }): DeliverySender {
  return async (d: Delivery) => {
    const [sub] = d.subscriptionId ? await opts.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, d.subscriptionId)) : [];
    if (!sub) throw new PermanentDeliveryError("the webhook was deleted");
    if (!sub.active) throw new PermanentDeliveryError("the webhook is inactive");
    const body = typeof d.payload.body === "string" ? d.payload.body : JSON.stringify(d.payload.body ?? d.payload);
    const timestamp = Math.floor(opts.clock.now().getTime() / 1000);

    let res: Response;
    try {
      res = await fetch(sub.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Tierline-Webhooks/1",
          "tierline-event": d.topic,
          "tierline-delivery": d.idempotencyKey,
          "tierline-timestamp": String(timestamp),
          "tierline-signature": signatureHeader(sub.secret, timestamp, body),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (err) {
      const where = new URL(sub.url).host;
      if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
        throw new Error(`${where} did not answer within ${opts.timeoutMs / 1000} s`);
      }
      const cause = err instanceof Error && err.cause instanceof Error ? ((err.cause as NodeJS.ErrnoException).code ?? err.cause.message) : String(err);
      throw new Error(`could not reach ${where}: ${cause}`);
    }
    const snippet = await readSnippet(res);
    if (res.status >= 200 && res.status < 300) return;
    const answer = `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}`;
    if (res.status >= 300 && res.status < 400) {
      throw new PermanentDeliveryError(`HTTP ${res.status}: redirects are not followed; give the webhook its final URL`);
    }
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw new Error(answer);
    throw new PermanentDeliveryError(answer);
  };
}

/** The start of the answer's body as one line (and the rest discarded, so the connection is freed). */
async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // an answer cut short still says what it said so far
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString("utf8").replace(/\s+/g, " ").trim();
}
