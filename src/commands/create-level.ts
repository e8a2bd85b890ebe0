import { levels, type Level } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { CreateLevelInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Adds a support tier. Names and ranks are unique. */
export async function createLevel(ctx: CommandContext, input: CreateLevelInput): Promise<Level> {
  authorizeOrganisation(ctx.actor, "manage", "levels");
  try {
    const [row] = await ctx.db.insert(levels).values({ ...input, createdAt: ctx.clock.now() }).returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("level_exists", "A level with this name or rank already exists.");
    throw err;
  }
}
