import { accounts, type Account } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeCustomers } from "../policies/organisation.policy.js";
import type { CreateAccountInput } from "../schemas/organisation.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Adds a customer account (a company), with its tier and annual value. */
export async function createAccount(ctx: CommandContext, input: CreateAccountInput): Promise<Account> {
  authorizeCustomers(ctx.actor);
  try {
    const [row] = await ctx.db
      .insert(accounts)
      .values({ ...input, annualValue: input.annualValue ?? null, createdAt: ctx.clock.now() })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("account_exists", "An account with this name already exists.");
    throw err;
  }
}
