import { and, eq, sql } from "drizzle-orm";
import { MAGIC_LINK_MAILS_PER_WINDOW, MAGIC_LINK_TTL_MS, recentMagicLinks } from "../auth/magic-link.js";
import { customers, magicLinks } from "../db/schema.js";
import type { CommandContext } from "./context.js";
import { enqueue } from "./support/timeline.js";

/**
 * Asks for a sign-in link for an address. For a verified customer with that address (never a chat visitor's
 * unconfirmed contact, never staff) it writes a link row and an outbox row (`customer.sign_in_requested`)
 * from which the mail planner makes the single-use token and mails it. Unknown addresses, and a customer
 * who had MAGIC_LINK_MAILS_PER_WINDOW links in the window, get nothing; the caller answers the same in
 * every case, so the answer tells nobody whether an address has an account.
 */
export async function requestMagicLink(ctx: Omit<CommandContext, "actor">, email: string): Promise<void> {
  const address = email.trim().toLowerCase();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(sql`lower(${customers.email})`, address), eq(customers.unverified, false)));
    if (!customer) return;
    // Two requests for one address at once are serialised here, so the limit holds under concurrency.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`magic-link:${customer.id}`}))`);
    if ((await recentMagicLinks(tx, customer.id, now)) >= MAGIC_LINK_MAILS_PER_WINDOW) return;
    const expiresAt = new Date(now.getTime() + MAGIC_LINK_TTL_MS);
    const [link] = await tx.insert(magicLinks).values({ customerId: customer.id, createdAt: now, expiresAt }).returning({ id: magicLinks.id });
    await enqueue(tx, now, "customer.sign_in_requested", { customerId: customer.id, magicLinkId: link!.id, expiresAt: expiresAt.toISOString() });
  });
}
