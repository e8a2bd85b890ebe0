import { and, eq, gt, sql } from "drizzle-orm";
import { hashToken } from "../../auth/tokens.js";
import { chatVerifications } from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { AppError } from "../../domain/errors.js";
import { enqueue } from "../../commands/support/timeline.js";

/** How long a confirmation link stays valid. */
export const VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;
/** At most this many confirmation mails go to one address in VERIFICATION_WINDOW_MS, however many chats name it. */
export const VERIFICATION_MAILS_PER_WINDOW = 3;
export const VERIFICATION_WINDOW_MS = 60 * 60 * 1000;

/** Whether a confirmation mail was planned, and until when its link is valid. */
export type VerificationRequest = { mailSent: boolean; expiresAt: Date | null };

/**
 * Asks the visitor of a conversation to confirm `email`: a verification row and an outbox row
 * (`chat.verification_requested`) from which the mail planner makes the single-use token and mails the
 * link. Within the caller's transaction. An address that had VERIFICATION_MAILS_PER_WINDOW mails in the
 * last VERIFICATION_WINDOW_MS gets none (`mailSent: false`), so a chat widget cannot be used to flood a
 * mailbox; the chat itself goes on.
 */
export async function requestVerificationInTx(tx: Tx, now: Date, conversation: { id: string; ticketId: string }, email: string): Promise<VerificationRequest> {
  const address = email.trim().toLowerCase();
  // Two chats naming one address at once are serialised here, so the limit holds under concurrency.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`chat-verification:${address}`}))`);
  const [recent] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(chatVerifications)
    .where(and(eq(sql`lower(${chatVerifications.email})`, address), gt(chatVerifications.createdAt, new Date(now.getTime() - VERIFICATION_WINDOW_MS))));
  if ((recent?.n ?? 0) >= VERIFICATION_MAILS_PER_WINDOW) return { mailSent: false, expiresAt: null };
  const expiresAt = new Date(now.getTime() + VERIFICATION_TTL_MS);
  const [verification] = await tx
    .insert(chatVerifications)
    .values({ conversationId: conversation.id, email: address, createdAt: now, expiresAt })
    .returning({ id: chatVerifications.id });
  await enqueue(tx, now, "chat.verification_requested", {
    ticketId: conversation.ticketId,
    conversationId: conversation.id,
    verificationId: verification!.id,
    email: address,
    expiresAt: expiresAt.toISOString(),
  });
  return { mailSent: true, expiresAt };
}

export type ChatVerification = typeof chatVerifications.$inferSelect;

/**
 * The verification a confirmation token belongs to, if it may still be used (locked for update inside a
 * transaction): 400 `verification_token_invalid` for a token that is no one's, 409 `verification_token_used`
 * once used, 410 `verification_token_expired` after VERIFICATION_TTL_MS.
 */
export async function usableVerification(db: Db | Tx, token: string, now: Date, lock = false): Promise<ChatVerification> {
  const query = db.select().from(chatVerifications).where(eq(chatVerifications.tokenHash, hashToken(token)));
  const [verification] = lock ? await query.for("update") : await query;
  if (!verification) throw new AppError("verification_token_invalid", "This confirmation link is not valid: open the link from the mail exactly as it is, or start a new chat.");
  if (verification.usedAt) throw new AppError("verification_token_used", "This confirmation link was used already.");
  if (verification.expiresAt.getTime() <= now.getTime()) {
    throw new AppError("verification_token_expired", "This confirmation link has expired: start a new chat to get another one.");
  }
  return verification;
}
