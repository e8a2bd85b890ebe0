import { agents, agentTeams, type Agent } from "../db/schema.js";
import { assertTeamsExist } from "./support/teams-exist.js";
import { AppError } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { CreateAgentInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { hashPassword } from "./support/passwords.js";
import { assertCalendarExists } from "./set-working-hours.js";

export type AgentWithTeams = Agent & { teamIds: string[] };

/** Adds a staff member with a role, team memberships, skills and (optionally) a password to sign in with. */
export async function createAgent(
  ctx: CommandContext,
  input: Omit<CreateAgentInput, "languages" | "capacity"> & Partial<Pick<CreateAgentInput, "languages" | "capacity">>,
): Promise<AgentWithTeams> {
  authorizeOrganisation(ctx.actor, "manage", "agents");
  const teamIds = [...new Set(input.teamIds)];
  await assertTeamsExist(ctx.db, teamIds, "body.teamIds");
  if (input.calendarId) await assertCalendarExists(ctx.db, input.calendarId);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await ctx.db.transaction(async (tx) => {
      const [agent] = await tx
        .insert(agents)
        .values({
          email: input.email,
          name: input.name,
          role: input.role,
          passwordHash,
          skills: input.skills,
          ...(input.languages ? { languages: input.languages } : {}),
          ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
          calendarId: input.calendarId ?? null,
          // The column's declared type predates phase 3's {type: {amount, currency}}; the schema above checked the shape.
          authorityLimits: input.authorityLimits as unknown as Agent["authorityLimits"],
          createdAt: ctx.clock.now(),
        })
        .returning();
      if (teamIds.length > 0) await tx.insert(agentTeams).values(teamIds.map((teamId) => ({ agentId: agent!.id, teamId })));
      return { ...agent!, teamIds };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("agent_exists", `An agent with e-mail ${input.email} already exists.`);
    throw err;
  }
}
