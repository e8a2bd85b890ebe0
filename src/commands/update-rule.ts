import { eq } from "drizzle-orm";
import { escalationRules, type EscalationRuleRow } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { UpdateRuleInput } from "../schemas/rule.schemas.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertRuleReferencesExist } from "./support/rule-references.js";

/** Changes a rule (admins only); bumps its version. Firings already recorded stay as they were. */
export async function updateRule(ctx: CommandContext, ruleId: string, input: UpdateRuleInput): Promise<EscalationRuleRow> {
  authorizeOrganisation(ctx.actor, "manage", "escalation rules");
  const now = ctx.clock.now();
  try {
    const updated = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(escalationRules).where(eq(escalationRules.id, ruleId)).for("update");
      if (!row) throw notFound("rule_not_found", "Escalation rule", ruleId);
      await assertRuleReferencesExist(tx, input.actions);
      const [next] = await tx
        .update(escalationRules)
        .set({ ...input, version: row.version + 1, updatedAt: now })
        .where(eq(escalationRules.id, ruleId))
        .returning();
      return next!;
    });
    forgetActiveAutomation(ctx.db);
    return updated;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("rule_exists", "A rule with this name already exists.");
    throw err;
  }
}
