import { and, eq, isNull, notInArray } from "drizzle-orm";
import { agentTeams, agents, apiTokens, sessions, tickets } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { AppError, notFound } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { AgentWithTeams } from "./create-agent.js";
import type { CommandContext } from "./context.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Deactivates an agent (admins only), keeping their history: the agent row, their messages, escalations
 * and events stay. They can no longer sign in, their sessions end and their API tokens are revoked, routing
 * no longer gives them work, and their unfinished tickets go back to their team's queue (unassigned, with
 * the change on each timeline). Deactivating an inactive agent changes nothing.
 */
export async function deactivateAgent(ctx: CommandContext, agentId: string): Promise<AgentWithTeams> {
  authorizeOrganisation(ctx.actor, "manage", "agents");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.id, agentId)).for("update");
    if (!agent) throw notFound("agent_not_found", "Agent", agentId);
    assertNotSelf(ctx.actor, agentId, "deactivate");
    if (agent.active) await retireAgent(tx, ctx.actor, now, agentId);
    const [after] = await tx.select().from(agents).where(eq(agents.id, agentId));
    const memberships = await tx.select({ teamId: agentTeams.teamId }).from(agentTeams).where(eq(agentTeams.agentId, agentId));
    return { ...after!, teamIds: memberships.map((m) => m.teamId) };
  });
}

/** An admin deactivating or demoting themselves could lock out the last admin: refused. */
export function assertNotSelf(actor: Principal, agentId: string, what: "deactivate" | "change the role of"): void {
  if (actor.kind === "agent" && actor.id === agentId) {
    throw new AppError("forbidden", `An admin cannot ${what} their own account; another admin can.`);
  }
}

/**
 * The effects of deactivation inside the caller's transaction (the agent row locked): inactive, sessions
 * deleted, tokens revoked, unfinished tickets unassigned. Also used by PATCH /agents/{id} with active: false.
 */
export async function retireAgent(tx: Tx, actor: Principal, now: Date, agentId: string): Promise<void> {
  await tx.update(agents).set({ active: false, availability: "offline" }).where(eq(agents.id, agentId));
  await tx.delete(sessions).where(eq(sessions.agentId, agentId));
  await tx.update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.agentId, agentId), isNull(apiTokens.revokedAt)));
  const held = await tx
    .update(tickets)
    .set({ assigneeId: null, updatedAt: now })
    .where(and(eq(tickets.assigneeId, agentId), notInArray(tickets.status, [...FINISHED_STATUSES])))
    .returning({ id: tickets.id });
  const changes = { assigneeId: { from: agentId, to: null } };
  await appendEvents(
    tx,
    actor,
    now,
    held.map((t) => ({ ticketId: t.id, type: "ticket.updated", visibility: "internal" as const, data: { changes, why: "the assignee was deactivated" } })),
  );
  for (const t of held) await enqueue(tx, now, "ticket.updated", { ticketId: t.id, changes });
}
