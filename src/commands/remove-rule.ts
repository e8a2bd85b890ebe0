import { and, count, eq, isNull, like } from "drizzle-orm";
import { deadlines, escalationRules, ruleFirings } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import type { CommandContext } from "./context.js";
import type { Removal } from "./remove-sla-policy.js";

/**
 * Removes an escalation rule (admins only), as `policy apply` does: a rule that fired on tickets keeps
 * its history and is retired with `active: false`; a rule that never fired is deleted with its pending
 * time-condition timers. Either way it no longer fires.
 */
export async function removeRule(ctx: CommandContext, ruleId: string): Promise<Removal> {
  authorizeOrganisation(ctx.actor, "manage", "escalation rules");
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: escalationRules.id, version: escalationRules.version }).from(escalationRules).where(eq(escalationRules.id, ruleId)).for("update");
    if (!row) throw notFound("rule_not_found", "Escalation rule", ruleId);
    const [firings] = await tx.select({ n: count() }).from(ruleFirings).where(eq(ruleFirings.ruleId, ruleId));
    if ((firings?.n ?? 0) > 0) {
      await tx.update(escalationRules).set({ active: false, version: row.version + 1, updatedAt: now }).where(eq(escalationRules.id, ruleId));
      return { id: ruleId, outcome: "retired" as const };
    }
    await tx.delete(deadlines).where(and(like(deadlines.stepKey, `rule:${ruleId}:%`), isNull(deadlines.firedAt)));
    await tx.delete(escalationRules).where(eq(escalationRules.id, ruleId));
    return { id: ruleId, outcome: "deleted" as const };
  });
  forgetActiveAutomation(ctx.db);
  return result;
}
