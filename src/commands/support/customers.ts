import { sql } from "drizzle-orm";
import { customers, type Customer } from "../../db/schema.js";
import type { Tx } from "../../db/store.js";

/**
 * The customer with this (lower-case) e-mail address, added with `name` if there is none. An existing
 * customer keeps their name and tier. Never an unverified chat contact (see `addUnverifiedContact`). For mail,
 * where the address is the channel's own.
 */
export async function findOrAddCustomer(tx: Tx, email: string, name: string, now: Date): Promise<Customer> {
  const [created] = await tx.insert(customers).values({ email, name, createdAt: now }).onConflictDoNothing().returning();
  if (created) return created;
  // Inserted meanwhile by another transaction: this statement, with a fresh snapshot, sees it.
  const [existing] = await tx.select().from(customers).where(sql`lower(${customers.email}) = ${email} and not ${customers.unverified}`);
  if (!existing) throw new Error(`customer ${email} neither inserted nor found`);
  return existing;
}

/**
 * A new contact for a chat visitor who typed `email` in: a customer record of its own, flagged unverified,
 * with the standard tier and no account, so it never shares the tier, SLA, account, rules or ticket list of
 * the customer who owns the address. Confirming the address (confirm-chat-verification.ts) moves its
 * tickets to that customer, or makes the contact that customer when there is none.
 */
export async function addUnverifiedContact(tx: Tx, email: string, name: string, now: Date): Promise<Customer> {
  const [contact] = await tx.insert(customers).values({ email, name, unverified: true, createdAt: now }).returning();
  return contact!;
}
