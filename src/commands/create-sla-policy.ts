import { slaPolicies, type SlaPolicyRow } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import type { CreateSlaPolicyInput } from "../schemas/sla.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertSlaReferencesExist } from "./support/sla-references.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";

/**
 * Adds an SLA policy. Tickets opened from now on that match it (the first active policy by position)
 * get its clocks; open tickets take it only when the policies are re-applied.
 */
export async function createSlaPolicy(ctx: CommandContext, input: CreateSlaPolicyInput): Promise<SlaPolicyRow> {
  authorizeSlaSetup(ctx.actor, "manage", "SLA policies");
  await assertSlaReferencesExist(ctx.db, input);
  const now = ctx.clock.now();
  try {
    const [row] = await ctx.db
      .insert(slaPolicies)
      .values({ ...input, ...jsonColumnsOf(input), version: 1, createdAt: now, updatedAt: now })
      .returning();
    forgetActiveAutomation(ctx.db);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("sla_policy_exists", "An SLA policy with this name already exists.");
    throw err;
  }
}

/** A policy's JSON fields as the table types them (loosely: the schemas are the precise types). */
function jsonColumnsOf(input: Pick<CreateSlaPolicyInput, "conditions" | "targets">) {
  return {
    conditions: input.conditions as Record<string, string[]>,
    targets: input.targets as Record<string, Record<string, string>>,
  };
}
