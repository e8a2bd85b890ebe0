import { and, count, desc, eq, notInArray } from "drizzle-orm";
import { accounts, customers, tickets, type Account, type Customer } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { ticketVisibility } from "../policies/ticket.policy.js";
import type { CommandContext } from "../commands/context.js";

const OPEN_TICKETS_SHOWN = 20;

export type CustomerSummary = {
  customer: Customer;
  account: Account | null;
  openTickets: { id: string; number: number; subject: string; status: (typeof tickets.$inferSelect)["status"]; priority: (typeof tickets.$inferSelect)["priority"]; createdAt: Date }[];
  openTicketCount: number;
  ticketCount: number;
};

/**
 * A customer with their account (tier, annual value) and their open tickets, for staff. The tickets are
 * those the caller may see (the ticket visibility rule), so the panel discloses nothing the inbox hides.
 */
export async function getCustomerSummary(ctx: CommandContext, customerId: string): Promise<CustomerSummary> {
  requireAgent(ctx.actor, "see customers");
  const [row] = await ctx.db.select({ customer: customers, account: accounts }).from(customers).leftJoin(accounts, eq(accounts.id, customers.accountId)).where(eq(customers.id, customerId));
  if (!row) throw notFound("customer_not_found", "Customer", customerId);
  const mine = and(eq(tickets.customerId, customerId), ticketVisibility(ctx.actor));
  const open = and(mine, notInArray(tickets.status, [...FINISHED_STATUSES]));
  const openTickets = await ctx.db
    .select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, priority: tickets.priority, createdAt: tickets.createdAt })
    .from(tickets)
    .where(open)
    .orderBy(desc(tickets.createdAt), desc(tickets.number))
    .limit(OPEN_TICKETS_SHOWN);
  const [openCount] = await ctx.db.select({ n: count() }).from(tickets).where(open);
  const [allCount] = await ctx.db.select({ n: count() }).from(tickets).where(mine);
  return { customer: row.customer, account: row.account, openTickets, openTicketCount: Number(openCount?.n ?? 0), ticketCount: Number(allCount?.n ?? 0) };
}
