import { and, asc, eq, inArray } from "drizzle-orm";
import { agents, agentTeams } from "../../../db/schema.js";
import type { Tx } from "../../../db/store.js";
import type { AgentRole } from "../../../domain/vocabulary.js";

/** Someone a mail goes to. */
export type Recipient = { name: string; address: string };

const agentColumns = { id: agents.id, name: agents.name, email: agents.email };

/** Active agents among these ids (inactive ones get no mail), in the order given. */
export async function activeAgents(tx: Tx, ids: readonly (string | null | undefined)[]): Promise<(Recipient & { id: string })[]> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return [];
  const rows = await tx.select(agentColumns).from(agents).where(and(inArray(agents.id, wanted), eq(agents.active, true)));
  const byId = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, address: r.email }]));
  return wanted.flatMap((id) => byId.get(id) ?? []);
}

/** Active agents of a team, of one role (any role when none is given), by name. */
export async function teamAgents(tx: Tx, teamId: string, role?: AgentRole): Promise<(Recipient & { id: string })[]> {
  const rows = await tx
    .select(agentColumns)
    .from(agents)
    .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
    .where(and(eq(agentTeams.teamId, teamId), eq(agents.active, true), role ? eq(agents.role, role) : undefined))
    .orderBy(asc(agents.name), asc(agents.id));
  return rows.map((r) => ({ id: r.id, name: r.name, address: r.email }));
}

/** Active agents of a role in the whole organisation (admins and managers often sit in no team). */
export async function agentsOfRole(tx: Tx, role: AgentRole): Promise<(Recipient & { id: string })[]> {
  const rows = await tx
    .select(agentColumns)
    .from(agents)
    .where(and(eq(agents.role, role), eq(agents.active, true)))
    .orderBy(asc(agents.name), asc(agents.id));
  return rows.map((r) => ({ id: r.id, name: r.name, address: r.email }));
}

/** A team's leads; a team without an active lead is told through all its active members. */
export async function teamLeadsOrMembers(tx: Tx, teamId: string): Promise<(Recipient & { id: string })[]> {
  const leads = await teamAgents(tx, teamId, "lead");
  return leads.length > 0 ? leads : teamAgents(tx, teamId);
}
