import { inArray } from "drizzle-orm";
import { teams } from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { notFound } from "../../domain/errors.js";

/** Throws 404 team_not_found, naming the first missing one, unless every team id exists. */
export async function assertTeamsExist(db: Db | Tx, ids: Iterable<string>): Promise<void> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  const found = new Set((await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, wanted))).map((t) => t.id));
  const missing = wanted.find((id) => !found.has(id));
  if (missing) throw notFound("team_not_found", "Team", missing);
}
