import { eq } from "drizzle-orm";
import { accounts, customers, type Customer } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeCustomers } from "../policies/organisation.policy.js";
import type { CreateCustomerInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { hashPassword } from "./support/passwords.js";

/** Adds a customer. Without an explicit tier the customer takes their account's tier. */
export async function createCustomer(ctx: CommandContext, input: CreateCustomerInput): Promise<Customer> {
  authorizeCustomers(ctx.actor);
  let tier = input.tier;
  if (input.accountId) {
    const [account] = await ctx.db.select().from(accounts).where(eq(accounts.id, input.accountId));
    if (!account) throw notFound("account_not_found", "Account", input.accountId);
    tier ??= account.tier;
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    const [row] = await ctx.db
      .insert(customers)
      .values({
        email: input.email,
        name: input.name,
        accountId: input.accountId ?? null,
        tier: tier ?? "standard",
        passwordHash,
        createdAt: ctx.clock.now(),
      })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("customer_exists", `A customer with e-mail ${input.email} already exists.`);
    throw err;
  }
}
