import { sql } from "drizzle-orm";
import { roleLimits } from "../db/schema.js";
import { sortRoleLimits, type RoleLimit } from "../domain/authority.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { RoleLimitsInput } from "../schemas/authority.schemas.js";
import type { CommandContext } from "./context.js";

/**
 * Replaces the role defaults of the authority limits with the given set (admins only). A role and type
 * left out has no default: its people need their own limit or an approval for any amount.
 */
export async function setRoleLimits(ctx: CommandContext, input: RoleLimitsInput): Promise<RoleLimit[]> {
  authorizeOrganisation(ctx.actor, "manage", "authority limits");
  return ctx.db.transaction(async (tx) => {
    // Concurrent replacements take turns: without the lock both delete (seeing none of the other's rows)
    // and the second insert fails on the primary key (a 500). EXCLUSIVE still lets readers read.
    await tx.execute(sql`lock table ${roleLimits} in exclusive mode`);
    await tx.delete(roleLimits);
    const rows = input.length > 0 ? await tx.insert(roleLimits).values(input).returning() : [];
    return sortRoleLimits(rows);
  });
}
