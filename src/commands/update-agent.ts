import { eq } from "drizzle-orm";
import { agentTeams, agents, type Agent } from "../db/schema.js";
import { assertTeamsExist } from "./support/teams-exist.js";
import { notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { UpdateAgentInput } from "../schemas/organisation.schemas.js";
import type { AgentWithTeams } from "./create-agent.js";
import type { CommandContext } from "./context.js";
import { assertNotSelf, retireAgent } from "./deactivate-agent.js";

/**
 * Changes an agent (admins only): name, role, team memberships (replaced as a whole), skills, languages
 * (which routing matches against a ticket's `lang:xx` tag), capacity and active. `active: false`
 * deactivates as `deactivateAgent` does; `active: true` lets them sign in again (old sessions and tokens
 * stay ended). Tickets assigned to an agent who leaves a team stay with them: the assignee still works them.
 */
export async function updateAgent(ctx: CommandContext, agentId: string, input: UpdateAgentInput): Promise<AgentWithTeams> {
  authorizeOrganisation(ctx.actor, "manage", "agents");
  const now = ctx.clock.now();
  const teamIds = input.teamIds ? [...new Set(input.teamIds)] : undefined;
  return ctx.db.transaction(async (tx) => {
    const [agent] = await tx.select().from(agents).where(eq(agents.id, agentId)).for("update");
    if (!agent) throw notFound("agent_not_found", "Agent", agentId);
    // Demoting or deactivating oneself could leave nobody to undo it.
    if (input.active === false) assertNotSelf(ctx.actor, agentId, "deactivate");
    if (input.role !== undefined && input.role !== agent.role) assertNotSelf(ctx.actor, agentId, "change the role of");
    if (teamIds) await assertTeamsExist(tx, teamIds, "body.teamIds");
    const patch: Partial<Agent> = {
      name: input.name,
      role: input.role,
      skills: input.skills,
      languages: input.languages,
      capacity: input.capacity,
      ...(input.active === true ? { active: true } : {}),
    };
    const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await tx.update(agents).set(set).where(eq(agents.id, agentId));
    if (teamIds) {
      await tx.delete(agentTeams).where(eq(agentTeams.agentId, agentId));
      if (teamIds.length > 0) await tx.insert(agentTeams).values(teamIds.map((teamId) => ({ agentId, teamId })));
    }
    if (input.active === false && agent.active) await retireAgent(tx, ctx.actor, now, agentId);
    const [after] = await tx.select().from(agents).where(eq(agents.id, agentId));
    const memberships = await tx.select({ teamId: agentTeams.teamId }).from(agentTeams).where(eq(agentTeams.agentId, agentId));
    return { ...after!, teamIds: memberships.map((m) => m.teamId) };
  });
}
