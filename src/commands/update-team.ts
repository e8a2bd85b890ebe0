import { eq } from "drizzle-orm";
import { teams, type Team } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { UpdateTeamInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Renames a team or replaces the ticket categories it owns. Its level and kind stay (tickets sit on them). */
export async function updateTeam(ctx: CommandContext, teamId: string, input: UpdateTeamInput): Promise<Team> {
  authorizeOrganisation(ctx.actor, "manage", "teams");
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.categories !== undefined ? { categories: [...new Set(input.categories)] } : {}),
  };
  try {
    const [row] = await ctx.db.update(teams).set(changes).where(eq(teams.id, teamId)).returning();
    if (!row) throw notFound("team_not_found", "Team", teamId);
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("team_exists", "A team with this name already exists.");
    throw err;
  }
}
