import { eq } from "drizzle-orm";
import { levels, type Level } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { UpdateLevelInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/**
 * Renames a level or gives it another rank. Its teams and tickets stay on it; names and ranks stay unique,
 * so moving a level onto a taken rank is refused rather than reordering the others behind the admin's back.
 */
export async function updateLevel(ctx: CommandContext, levelId: string, input: UpdateLevelInput): Promise<Level> {
  authorizeOrganisation(ctx.actor, "manage", "levels");
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.rank !== undefined ? { rank: input.rank } : {}),
  };
  try {
    const [row] = await ctx.db.update(levels).set(changes).where(eq(levels.id, levelId)).returning();
    if (!row) throw notFound("level_not_found", "Level", levelId);
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("level_exists", "A level with this name or rank already exists.");
    throw err;
  }
}
