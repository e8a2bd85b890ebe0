import { and, eq } from "drizzle-orm";
import { usableMagicLink } from "../auth/magic-link.js";
import { customers, magicLinks } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { CommandContext } from "./context.js";
import { openSession, type SignedInUser } from "./log-in.js";

/**
 * Signs a customer in with the token of a mailed sign-in link: marks the link used and opens a session,
 * in one transaction, so a token opens at most one session. A forged token is 400 `sign_in_link_invalid`,
 * a used or expired one 401 (`sign_in_link_used`, `sign_in_link_expired`); none of them writes anything.
 */
export async function verifyMagicLink(
  ctx: Omit<CommandContext, "actor">,
  token: string,
  ttlHours: number,
): Promise<{ user: SignedInUser; token: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const link = await usableMagicLink(tx, token, now, true);
    const [customer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.id, link.customerId), eq(customers.unverified, false)));
    if (!customer) throw new AppError("sign_in_link_invalid", "This sign-in link is not valid any more: ask for a new one.");
    await tx.update(magicLinks).set({ usedAt: now }).where(eq(magicLinks.id, link.id));
    const user: SignedInUser = { kind: "customer", id: customer.id, email: customer.email, name: customer.name, role: null };
    return { user, ...(await openSession(tx, now, user, ttlHours)) };
  });
}
