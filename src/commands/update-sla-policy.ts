import { eq } from "drizzle-orm";
import { slaPolicies, type SlaPolicyRow } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import type { UpdateSlaPolicyInput } from "../schemas/sla.schemas.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertSlaReferencesExist } from "./support/sla-references.js";

/**
 * Changes an SLA policy; the fields left out stay. A change that alters something bumps `version`. It
 * applies to clocks started from now on (a new ticket, the next next-response or periodic-update cycle):
 * a running clock keeps its target until the policies are re-applied (POST /sla-policies/reapply).
 */
export async function updateSlaPolicy(ctx: CommandContext, policyId: string, input: UpdateSlaPolicyInput): Promise<SlaPolicyRow> {
  authorizeSlaSetup(ctx.actor, "manage", "SLA policies");
  const now = ctx.clock.now();
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, policyId)).for("update");
      if (!row) throw notFound("sla_policy_not_found", "SLA policy", policyId);
      await assertSlaReferencesExist(tx, input);
      const stored = row as Record<string, unknown>;
      const isChange = Object.entries(input).some(([key, value]) => value !== undefined && canonicalJson(value) !== canonicalJson(stored[key]));
      if (!isChange) return row;
      const [updated] = await tx
        .update(slaPolicies)
        .set({
          ...input,
          conditions: input.conditions as Record<string, string[]> | undefined,
          targets: input.targets as Record<string, Record<string, string>> | undefined,
          version: row.version + 1,
          updatedAt: now,
        })
        .where(eq(slaPolicies.id, policyId))
        .returning();
      return updated!;
    });
    forgetActiveAutomation(ctx.db);
    return result;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("sla_policy_exists", "An SLA policy with this name already exists.");
    throw err;
  }
}

/** JSON with object keys sorted: the database hands JSON columns back with its own key order. */
function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, x]) => [k, sorted(x)]),
          )
        : v;
  return JSON.stringify(sorted(value));
}
