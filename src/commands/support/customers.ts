import { sql } from "drizzle-orm";
import { customers, type Customer } from "../../db/schema.js";
import type { Tx } from "../../db/store.js";

/**
 * The customer with this (lower-case) e-mail address, added with `name` if there is none. An existing
 * customer keeps their name and tier. For channels where anyone may write in (mail, web chat).
 */
export async function findOrAddCustomer(tx: Tx, email: string, name: string, now: Date): Promise<Customer> {
  const [created] = await tx.insert(customers).values({ email, name, createdAt: now }).onConflictDoNothing().returning();
  if (created) return created;
  // Inserted meanwhile by another transaction: this statement, with a fresh snapshot, sees it.
  const [existing] = await tx.select().from(customers).where(sql`lower(${customers.email}) = ${email}`);
  if (!existing) throw new Error(`customer ${email} neither inserted nor found`);
  return existing;
}
