import { and, eq, sql } from "drizzle-orm";
import { ticketPresence } from "../db/schema.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { getTicket } from "../queries/ticket.queries.js";
import type { SetPresenceInput } from "../schemas/presence.schemas.js";
import type { CommandContext } from "./context.js";

/** The NOTIFY channel of presence changes; the payload is the ticket's id. */
export const PRESENCE_CHANNEL = "tierline_presence";

/** How long a heartbeat keeps an agent present; clients send one well within it (every 10 s). */
export const PRESENCE_TTL_MS = 30_000;

/**
 * Records that the agent is viewing or typing on a ticket they can see, until `PRESENCE_TTL_MS` from now
 * (a heartbeat). Other viewers are told (NOTIFY, so every instance's streams hear it) only when something
 * shows: the agent arrives, comes back after lapsing, or starts or stops typing; a plain heartbeat is silent.
 */
export async function setPresence(ctx: CommandContext, ticketId: string, input: SetPresenceInput): Promise<void> {
  const agent = requireAgent(ctx.actor, "show their presence on a ticket");
  await getTicket(ctx, ticketId);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + PRESENCE_TTL_MS);
  await ctx.db.transaction(async (tx) => {
    const where = and(eq(ticketPresence.ticketId, ticketId), eq(ticketPresence.agentId, agent.id));
    const [before] = await tx.select().from(ticketPresence).where(where).for("update");
    await tx
      .insert(ticketPresence)
      .values({ ticketId, agentId: agent.id, state: input.state, expiresAt })
      .onConflictDoUpdate({ target: [ticketPresence.ticketId, ticketPresence.agentId], set: { state: input.state, expiresAt } });
    const shows = !before || before.expiresAt <= now || before.state !== input.state;
    if (shows) await tx.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${ticketId})`);
  });
}

/** The agent left the ticket (closed it): others are told at once rather than when the heartbeat lapses. */
export async function clearPresence(ctx: CommandContext, ticketId: string): Promise<void> {
  const agent = requireAgent(ctx.actor, "show their presence on a ticket");
  await getTicket(ctx, ticketId);
  await ctx.db.transaction(async (tx) => {
    const gone = await tx
      .delete(ticketPresence)
      .where(and(eq(ticketPresence.ticketId, ticketId), eq(ticketPresence.agentId, agent.id)))
      .returning({ agentId: ticketPresence.agentId });
    if (gone.length > 0) await tx.execute(sql`select pg_notify(${PRESENCE_CHANNEL}, ${ticketId})`);
  });
}
