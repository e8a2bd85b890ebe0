import { and, eq, gt, sql } from "drizzle-orm";
import { preparedRows } from "../db/raw.js";
import type { AgentRole } from "../domain/vocabulary.js";
import { agentTeams, agents, apiTokens, sessions } from "../db/schema.js";
import type { Db } from "../db/store.js";
import type { Principal } from "../domain/principal.js";
import { hashToken } from "./tokens.js";

const teamIdsOf = sql<string[]>`coalesce((select array_agg(${agentTeams.teamId}) from ${agentTeams} where ${agentTeams.agentId} = ${agents.id}), '{}')`;

/** Marks token use at most once a minute, so reads through a token do not each cost a write. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** The agent an API token acts for, or null for an unknown, revoked or inactive one. */
export async function principalFromApiToken(db: Db, token: string, now: Date): Promise<Principal | null> {
  // Every integration request resolves its token, so this is a prepared statement (see preparedRows).
  const [row] = await preparedRows<{ tokenId: string; lastUsedAt: Date | null; id: string; role: AgentRole; teamIds: string[] }>(
    db,
    sql`select t.id as "tokenId", t.last_used_at as "lastUsedAt", a.id, a.role,
               coalesce((select array_agg(m.team_id) from agent_teams m where m.agent_id = a.id), '{}') as "teamIds"
        from api_tokens t join agents a on a.id = t.agent_id
        where t.token_hash = ${hashToken(token)} and t.revoked_at is null and a.active`,
  );
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - new Date(row.lastUsedAt).getTime() > LAST_USED_GRANULARITY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return { kind: "agent", id: row.id, role: row.role, teamIds: row.teamIds };
}

/** The agent or customer a session token belongs to, or null for an unknown or expired session. */
export async function principalFromSession(db: Db, token: string, now: Date): Promise<Principal | null> {
  const [row] = await db
    .select({ agentId: sessions.agentId, customerId: sessions.customerId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, now)));
  if (!row) return null;
  if (row.customerId) return { kind: "customer", id: row.customerId };
  const [agent] = await db
    .select({ id: agents.id, role: agents.role, teamIds: teamIdsOf })
    .from(agents)
    .where(and(eq(agents.id, row.agentId!), eq(agents.active, true)));
  return agent ? { kind: "agent", id: agent.id, role: agent.role, teamIds: agent.teamIds } : null;
}
