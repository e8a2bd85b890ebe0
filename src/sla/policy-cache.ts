import { eq } from "drizzle-orm";
import { slaPolicies } from "../db/schema.js";
import type { Db } from "../db/store.js";

/**
 * Whether any SLA policy is active, remembered for a moment per store. Ticket intake asks this first: with
 * no active policy a ticket needs no clocks, and intake stays one statement without a transaction. A policy
 * change made through this process refreshes it at once; another instance's change is seen within
 * MAX_AGE_MS. (Only the yes/no is cached: the policies themselves are always read inside the transaction.)
 */
const MAX_AGE_MS = 2_000;
const cache = new WeakMap<Db, { hasActive: boolean; readAt: number }>();

export async function hasActivePolicies(db: Db, nowMs = Date.now()): Promise<boolean> {
  const hit = cache.get(db);
  if (hit && nowMs - hit.readAt < MAX_AGE_MS) return hit.hasActive;
  const rows = await db.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.active, true)).limit(1);
  cache.set(db, { hasActive: rows.length > 0, readAt: nowMs });
  return rows.length > 0;
}

/** Forgets the cached answer (after a policy is created or changed). */
export function forgetActivePolicies(db: Db): void {
  cache.delete(db);
}
