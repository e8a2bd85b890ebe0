import { eq } from "drizzle-orm";
import { levels, teams, type Team } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { CreateTeamInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Adds a team on an existing level, with the ticket categories it owns (none by default). */
export async function createTeam(ctx: CommandContext, input: CreateTeamInput): Promise<Team> {
  authorizeOrganisation(ctx.actor, "manage", "teams");
  const [level] = await ctx.db.select({ id: levels.id }).from(levels).where(eq(levels.id, input.levelId));
  if (!level) throw notFound("level_not_found", "Level", input.levelId);
  try {
    const [row] = await ctx.db.insert(teams).values({ ...input, categories: [...new Set(input.categories ?? [])], createdAt: ctx.clock.now() }).returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("team_exists", "A team with this name already exists.");
    throw err;
  }
}
