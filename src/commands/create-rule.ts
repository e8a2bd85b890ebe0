import { escalationRules, type EscalationRuleRow } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { CreateRuleInput } from "../schemas/rule.schemas.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertRuleReferencesExist } from "./support/rule-references.js";

/** Adds a rule to the escalation matrix (admins only). It applies to triggers from now on. */
export async function createRule(ctx: CommandContext, input: CreateRuleInput): Promise<EscalationRuleRow> {
  authorizeOrganisation(ctx.actor, "manage", "escalation rules");
  await assertRuleReferencesExist(ctx.db, input.actions);
  const now = ctx.clock.now();
  try {
    const [row] = await ctx.db
      .insert(escalationRules)
      .values({ ...input, conditions: input.conditions, actions: input.actions, createdAt: now, updatedAt: now })
      .returning();
    forgetActiveAutomation(ctx.db);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("rule_exists", "A rule with this name already exists.");
    throw err;
  }
}
