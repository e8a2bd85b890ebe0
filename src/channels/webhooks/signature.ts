import { createHmac, timingSafeEqual } from "node:crypto";

/** The hex HMAC-SHA256 of `<timestamp>.<body>` under the subscription's secret. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The `Tierline-Signature` header value: `t=<unix seconds>,v1=<hex HMAC>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${webhookSignature(secret, timestamp, body)}`;
}

/**
 * Whether a `Tierline-Signature` header signs this body with this secret, at a time within `toleranceSec`
 * of `nowSec` (so a captured request cannot be replayed later). Several `v1` values (e.g. while a secret
 * rotates on the receiver's side) are accepted if any one matches.
 */
export function verifyWebhookSignature(opts: { secret: string; header: string; body: string; nowSec: number; toleranceSec?: number }): boolean {
  const parts = opts.header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(opts.nowSec - t) > (opts.toleranceSec ?? 300)) return false;
  const expected = Buffer.from(webhookSignature(opts.secret, t, opts.body), "hex");
  return parts
    .filter(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v!, "hex"), expected));
}
