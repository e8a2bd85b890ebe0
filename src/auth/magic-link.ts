import { and, eq, gt, sql } from "drizzle-orm";
import { hashToken } from "./tokens.js";
import { magicLinks } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import { AppError } from "../domain/errors.js";

/** How long a sign-in link stays valid. */
export const MAGIC_LINK_TTL_MS = 15 * 60 * 1000;
/** At most this many sign-in mails go to one customer in MAGIC_LINK_WINDOW_MS, however often it is asked. */
export const MAGIC_LINK_MAILS_PER_WINDOW = 3;
export const MAGIC_LINK_WINDOW_MS = 15 * 60 * 1000;
/** The prefix of sign-in tokens, so one is recognisable where it turns up. */
export const MAGIC_LINK_TOKEN_PREFIX = "tl_signin";
/** The web path (under the public URL) the sign-in link opens: the portal's sign-in page. */
export const MAGIC_LINK_PATH = "/portal/sign-in";

export type MagicLink = typeof magicLinks.$inferSelect;

/** How many sign-in links a customer was sent in the window before `now` (for the per-address limit). */
export async function recentMagicLinks(tx: Tx, customerId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(magicLinks)
    .where(and(eq(magicLinks.customerId, customerId), gt(magicLinks.createdAt, new Date(now.getTime() - MAGIC_LINK_WINDOW_MS))));
  return row?.n ?? 0;
}

/**
 * The sign-in link a token belongs to, if it may still be used (locked for update inside a transaction):
 * 400 `sign_in_link_invalid` for a token that is no one's, 401 `sign_in_link_used` once used, 401
 * `sign_in_link_expired` after MAGIC_LINK_TTL_MS. The same words for every failure would hide nothing
 * useful: the token itself is the secret.
 */
export async function usableMagicLink(db: Db | Tx, token: string, now: Date, lock = false): Promise<MagicLink> {
  const query = db.select().from(magicLinks).where(eq(magicLinks.tokenHash, hashToken(token)));
  const [link] = lock ? await query.for("update") : await query;
  if (!link) throw new AppError("sign_in_link_invalid", "This sign-in link is not valid: open the link from the mail exactly as it is, or ask for a new one.");
  if (link.usedAt) throw new AppError("sign_in_link_used", "This sign-in link was used already: ask for a new one.");
  if (link.expiresAt.getTime() <= now.getTime()) throw new AppError("sign_in_link_expired", "This sign-in link has expired: ask for a new one.");
  return link;
}
