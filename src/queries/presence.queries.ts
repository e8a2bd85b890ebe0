import { and, asc, eq, gt } from "drizzle-orm";
import { agents, ticketPresence } from "../db/schema.js";
import type { Db } from "../db/store.js";
import { requireAgent } from "../policies/organisation.policy.js";
import type { PresenceView } from "../schemas/presence.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { getTicket } from "./ticket.queries.js";

/** The agents present on a ticket at `now` (heartbeat not lapsed), by name. No permission check: callers decide. */
export async function presenceOf(db: Db, ticketId: string, now: Date): Promise<PresenceView[]> {
  const rows = await db
    .select({ agentId: ticketPresence.agentId, name: agents.name, state: ticketPresence.state, expiresAt: ticketPresence.expiresAt })
    .from(ticketPresence)
    .innerJoin(agents, eq(agents.id, ticketPresence.agentId))
    .where(and(eq(ticketPresence.ticketId, ticketId), gt(ticketPresence.expiresAt, now)))
    .orderBy(asc(agents.name));
  return rows.map((r) => ({ ...r, expiresAt: r.expiresAt.toISOString() }));
}

/** Who is viewing or typing on a ticket the caller (staff) can see. */
export async function listPresence(ctx: CommandContext, ticketId: string): Promise<PresenceView[]> {
  requireAgent(ctx.actor, "see who is on a ticket");
  await getTicket(ctx, ticketId);
  return presenceOf(ctx.db, ticketId, ctx.clock.now());
}
