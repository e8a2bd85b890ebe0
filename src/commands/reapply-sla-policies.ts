import { and, asc, eq, gt, notInArray } from "drizzle-orm";
import { customers, slaPolicies, tickets } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import { reapplyToTicket, SlaSession } from "../sla/clocks.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import type { CommandContext } from "./context.js";
import { appendEvents } from "./support/timeline.js";

/** Which open tickets to visit: all of them, or only those a given policy times now. */
export type ReapplyScope = { policyId?: string | undefined };

/** Open tickets are read in batches of this many ids, in ticket-number order. */
const BATCH = 500;

/**
 * Re-applies the current SLA policies to every open ticket (not resolved or closed): each may match
 * another policy, and its live clocks take the new targets and calendar, keeping the working time already
 * used. One transaction per ticket, with the ticket row locked, so a ticket is never half re-applied and
 * intake and agents are held up for one ticket at a time; a ticket resolved meanwhile is skipped.
 * Every open ticket is visited in one call, with no cap. With `policyId`, only the open tickets that policy
 * times now (after its targets changed, the others need no visit). Returns how many tickets were re-applied.
 */
export async function reapplySlaPolicies(ctx: CommandContext, scope: ReapplyScope = {}): Promise<{ tickets: number }> {
  authorizeSlaSetup(ctx.actor, "manage", "SLA policies");
  const { policyId } = scope;
  if (policyId !== undefined) {
    const [policy] = await ctx.db.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.id, policyId));
    if (!policy) throw notFound("sla_policy_not_found", "SLA policy", policyId);
  }
  let count = 0;
  let afterNumber = 0;
  for (;;) {
    const batch = await ctx.db
      .select({ id: tickets.id, number: tickets.number })
      .from(tickets)
      .where(
        and(
          notInArray(tickets.status, [...FINISHED_STATUSES]),
          gt(tickets.number, afterNumber),
          policyId !== undefined ? eq(tickets.slaPolicyId, policyId) : undefined,
        ),
      )
      .orderBy(asc(tickets.number))
      .limit(BATCH);
    for (const { id } of batch) {
      if (await reapplyOne(ctx, id)) count++;
    }
    if (batch.length < BATCH) return { tickets: count };
    afterNumber = batch[batch.length - 1]!.number;
  }
}

async function reapplyOne(ctx: CommandContext, ticketId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ ticket: tickets, customerTier: customers.tier })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .where(eq(tickets.id, ticketId))
      .for("update", { of: tickets });
    if (!row || FINISHED_STATUSES.includes(row.ticket.status)) return false;
    const now = ctx.clock.now();
    await reapplyToTicket(new SlaSession(tx, now, ctx.actor), row.ticket, row.customerTier);
    const [after] = await tx.select({ slaPolicyId: tickets.slaPolicyId }).from(tickets).where(eq(tickets.id, ticketId));
    const policyId = { from: row.ticket.slaPolicyId, to: after?.slaPolicyId ?? null };
    // On the timeline, so a due time that moved has its reason; a ticket without a policy before or after had no clocks to move.
    if (policyId.from || policyId.to) {
      await appendEvents(tx, ctx.actor, now, [{ ticketId, type: "sla.reapplied", visibility: "internal", data: { policyId } }]);
    }
    return true;
  });
}
