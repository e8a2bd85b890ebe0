import { and, eq, sql } from "drizzle-orm";
import { agents, customers, sessions } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { AgentRole } from "../domain/vocabulary.js";
import { hashToken, newToken } from "../auth/tokens.js";
import type { Db, Tx } from "../db/store.js";
import type { CommandContext } from "./context.js";
import { verifyPassword } from "./support/passwords.js";

export type SignedInUser = { kind: "agent" | "customer"; id: string; email: string; name: string; role: AgentRole | null };

/**
 * Checks an e-mail and password (staff first, then customers) and opens a session. The returned token goes
 * into the session cookie; only its hash is stored. Wrong e-mail and wrong password fail alike.
 */
export async function logIn(
  ctx: Omit<CommandContext, "actor">,
  input: { email: string; password: string },
  ttlHours: number,
): Promise<{ user: SignedInUser; token: string; expiresAt: Date }> {
  const email = input.email.toLowerCase();
  const [agent] = await ctx.db.select().from(agents).where(eq(sql`lower(${agents.email})`, email));
  const [customer] = agent ? [] : await ctx.db.select().from(customers).where(and(eq(sql`lower(${customers.email})`, email), eq(customers.unverified, false)));
  const account = agent && agent.active ? agent : customer;
  const ok = await verifyPassword(account?.passwordHash, input.password);
  if (!ok || !account) throw new AppError("invalid_credentials", "The e-mail address or password is wrong.");

  const user: SignedInUser = agent
    ? { kind: "agent", id: agent.id, email: agent.email, name: agent.name, role: agent.role }
    : { kind: "customer", id: account.id, email: account.email, name: account.name, role: null };
  return { user, ...(await openSession(ctx.db, ctx.clock.now(), user, ttlHours)) };
}

/**
 * Opens a session for a user whose identity is already proven (a password, a sign-in link): the token for
 * the cookie, and its expiry. Only the token's hash is stored.
 */
export async function openSession(db: Db | Tx, now: Date, user: Pick<SignedInUser, "kind" | "id">, ttlHours: number): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken("tl_sess");
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    agentId: user.kind === "agent" ? user.id : null,
    customerId: user.kind === "customer" ? user.id : null,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

/** Ends a session; an unknown token is not an error (logging out twice is harmless). */
export async function logOut(ctx: Omit<CommandContext, "actor">, token: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
