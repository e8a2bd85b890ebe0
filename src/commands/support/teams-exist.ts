import { inArray } from "drizzle-orm";
import { teams } from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { AppError, notFound } from "../../domain/errors.js";

/**
 * Throws 404 team_not_found unless every team id exists: naming the first missing one, or, given the
 * request field the ids came from (e.g. `body.teamIds`), naming every missing one with that field.
 */
export async function assertTeamsExist(db: Db | Tx, ids: Iterable<string>, field?: string): Promise<void> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  const found = new Set((await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, wanted))).map((t) => t.id));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length === 0) return;
  if (!field) throw notFound("team_not_found", "Team", missing[0]!);
  throw new AppError("team_not_found", `Team ${missing.join(", ")} does not exist.`, [{ path: field, message: "names a team that does not exist" }]);
}
