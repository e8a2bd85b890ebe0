import type { Db, Tx } from "../../db/store.js";
import type { RuleActionSpec } from "../../schemas/rule.schemas.js";
import { assertTeamsExist } from "./teams-exist.js";

/** Throws 404 team_not_found unless every team a rule's actions name exists. */
export async function assertRuleReferencesExist(db: Db | Tx, actions: RuleActionSpec[] | undefined): Promise<void> {
  await assertTeamsExist(db, (actions ?? []).flatMap((a) => ((a.type === "route" || a.type === "escalate") && a.teamId ? [a.teamId] : [])));
}
