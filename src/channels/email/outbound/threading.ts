import { createHash } from "node:crypto";
import { asc, inArray, sql } from "drizzle-orm";
import { emailThreads } from "../../../db/schema.js";
import type { Tx } from "../../../db/store.js";

/** How many Message-IDs a References header carries at most: the first of the thread and the latest. */
const MAX_REFERENCES = 20;

/**
 * The Message-ID of one outgoing mail, `<t<ticket number>.<token>@<domain>>` for customer mail (`n` for
 * agent notifications). The token is derived from the ticket's id and the delivery's idempotency key, so
 * planning the same outbox row again (after a crash between fan-out and marking it done) gives the same
 * id, and it cannot be guessed from the ticket number.
 */
export function outgoingMessageId(prefix: "t" | "n", ticket: { id: string; number: number }, deliveryKey: string, domain: string): string {
  const token = createHash("sha256").update(`${ticket.id}\n${deliveryKey}`).digest("hex").slice(0, 32);
  return `<${prefix}${ticket.number}.${token}@${domain}>`;
}

/** Message-IDs are kept as they appear in headers: one id in angle brackets. */
export function normaliseMessageId(id: string): string {
  const bare = id.trim().replace(/^<+|>+$/g, "");
  return `<${bare}>`;
}

/**
 * The Message-IDs of a ticket's mail so far (sent and received), oldest first. Mail sent about a change
 * has the change's time, as has the mail that caused it (a ticket opened by mail): at the same time, the
 * mail taken in comes first, and ours (Message-IDs of `ownDomain`) answers it.
 */
export async function ticketThread(tx: Tx, ticketId: string, ownDomain: string): Promise<string[]> {
  return (await ticketThreads(tx, [ticketId], ownDomain)).get(ticketId)!;
}

/** `ticketThread` of several tickets in one query; every ticket asked for has an entry (maybe empty). */
export async function ticketThreads(tx: Tx, ticketIds: string[], ownDomain: string): Promise<Map<string, string[]>> {
  // A domain (checked by the configuration) has no LIKE wildcards.
  const ours = sql`(${emailThreads.messageId} like ${`%@${ownDomain}>`})`;
  const rows = await tx
    .select({ ticketId: emailThreads.ticketId, messageId: emailThreads.messageId })
    .from(emailThreads)
    .where(inArray(emailThreads.ticketId, ticketIds))
    .orderBy(asc(emailThreads.createdAt), asc(ours), asc(emailThreads.messageId));
  const threads = new Map<string, string[]>(ticketIds.map((id) => [id, []]));
  for (const r of rows) threads.get(r.ticketId)?.push(normaliseMessageId(r.messageId));
  return threads;
}

/**
 * Records an outgoing Message-ID as part of a ticket's thread, so that a customer's reply to it finds the
 * ticket. Its time is that of the change the mail tells of (the outbox row's), from the same clock as the
 * times of mail taken in, so the thread's order is the order of the conversation. Recording the same id
 * again is a no-op.
 */
export async function recordThreadMessage(tx: Tx, ticketId: string, messageId: string, at: Date): Promise<void> {
  await tx.insert(emailThreads).values({ messageId, ticketId, createdAt: at }).onConflictDoNothing();
}

/** In-Reply-To (the latest mail of the thread) and References (its first and latest mail) for a new mail. */
export function threadingHeaders(thread: readonly string[]): { inReplyTo: string | null; references: string[] } {
  if (thread.length === 0) return { inReplyTo: null, references: [] };
  const references = thread.length <= MAX_REFERENCES ? [...thread] : [thread[0]!, ...thread.slice(thread.length - (MAX_REFERENCES - 1))];
  return { inReplyTo: thread[thread.length - 1]!, references };
}
