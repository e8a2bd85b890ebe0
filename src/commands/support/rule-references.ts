import { inArray } from "drizzle-orm";
import { teams } from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { notFound } from "../../domain/errors.js";
import type { RuleActionSpec } from "../../schemas/rule.schemas.js";

/** Throws 404 team_not_found unless every team a rule's actions name exists. */
export async function assertRuleReferencesExist(db: Db | Tx, actions: RuleActionSpec[] | undefined): Promise<void> {
  const teamIds = new Set((actions ?? []).flatMap((a) => ((a.type === "route" || a.type === "escalate") && a.teamId ? [a.teamId] : [])));
  if (teamIds.size === 0) return;
  const found = new Set((await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, [...teamIds]))).map((t) => t.id));
  const missing = [...teamIds].find((id) => !found.has(id));
  if (missing) throw notFound("team_not_found", "Team", missing);
}
