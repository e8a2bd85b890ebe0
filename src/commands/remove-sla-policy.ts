import { count, eq } from "drizzle-orm";
import { slaClocks, slaPolicies, tickets } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import type { CommandContext } from "./context.js";

/** What DELETE did: removed a policy with no history, or retired (active: false) one that timed tickets. */
export type Removal = { id: string; outcome: "deleted" | "retired" };

/**
 * Removes an SLA policy (admins only), as `policy apply` does: a policy that timed tickets (has clocks)
 * keeps its history and is retired with `active: false` (new tickets no longer match it; running clocks
 * keep their targets until the policies are re-applied); a policy that never timed a ticket is deleted.
 */
export async function removeSlaPolicy(ctx: CommandContext, policyId: string): Promise<Removal> {
  authorizeSlaSetup(ctx.actor, "manage", "SLA policies");
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.id, policyId)).for("update");
    if (!row) throw notFound("sla_policy_not_found", "SLA policy", policyId);
    const [clocks] = await tx.select({ n: count() }).from(slaClocks).where(eq(slaClocks.policyId, policyId));
    if ((clocks?.n ?? 0) > 0) {
      await tx.update(slaPolicies).set({ active: false, updatedAt: now }).where(eq(slaPolicies.id, policyId));
      return { id: policyId, outcome: "retired" as const };
    }
    await tx.update(tickets).set({ slaPolicyId: null }).where(eq(tickets.slaPolicyId, policyId));
    await tx.delete(slaPolicies).where(eq(slaPolicies.id, policyId));
    return { id: policyId, outcome: "deleted" as const };
  });
  forgetActiveAutomation(ctx.db);
  return result;
}
