import { sql } from "drizzle-orm";
import { queryRows } from "../db/raw.js";
import type { Db } from "../db/store.js";

/**
 * Whether any SLA policy or escalation rule is active, remembered for a moment per store. Ticket intake asks
 * this first: with neither, a new ticket needs no clocks and no rule evaluation, and intake stays one
 * statement without a transaction. A change made through this process refreshes it at once; another
 * instance's change is seen within MAX_AGE_MS. (Only the yes/no is cached: policies and rules themselves are
 * always read inside the transaction.)
 */
const MAX_AGE_MS = 2_000;
const cache = new WeakMap<Db, { hasActive: boolean; readAt: number }>();

export async function hasActiveAutomation(db: Db, nowMs = Date.now()): Promise<boolean> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.readAt < MAX_AGE_MS) return hit.hasActive;
  const [row] = await queryRows<{ active: boolean }>(
    db,
    sql`select exists (select 1 from sla_policies where active) or exists (select 1 from escalation_rules where active) as active`,
  );
  cache.set(db, { hasActive: row!.active, readAt: nowMs });
  return row!.active;
}

/** Forgets the cached answer (after a policy or rule is created or changed). */
export function forgetActiveAutomation(db: Db): void {
  cache.delete(db);
}
