import { levels, teams } from "../db/schema.js";
import type { Db } from "../db/store.js";
import type { OrganisationNames } from "../domain/customer-events.js";

/** Every team's and level's name by id: what a customer reads in place of the internal ids. */
export async function loadOrganisationNames(db: Db): Promise<OrganisationNames> {
  const [teamRows, levelRows] = await Promise.all([
    db.select({ id: teams.id, name: teams.name }).from(teams),
    db.select({ id: levels.id, name: levels.name }).from(levels),
  ]);
  return { teams: new Map(teamRows.map((t) => [t.id, t.name])), levels: new Map(levelRows.map((l) => [l.id, l.name])) };
}
