import { and, desc, eq, gt } from "drizzle-orm";
import { customers, escalationRequests, slaClocks, type EscalationRequest } from "../db/schema.js";
import { dailyWindowStart, escalationAllowedFrom, nextRequestAllowedAt } from "../domain/escalation-request-window.js";
import { AppError } from "../domain/errors.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeEscalationRequest } from "../policies/escalation-request.policy.js";
import type { CreateEscalationRequestInput } from "../schemas/escalation-request.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/** The guardrails on customers' escalation requests (from the configuration). */
export type EscalationRequestGuardrails = {
  /** Minutes a ticket must be open before a request, unless its first-response target is missed sooner. */
  minAgeMinutes: number;
  /** Requests one customer may make in any 24 hours, over all their tickets. */
  dailyLimit: number;
};

/**
 * The ticket's customer asks for their ticket to be escalated, giving a reason. Allowed while the ticket is
 * being worked on, once it is old enough or its first response is late, when no other request of the ticket
 * waits for an answer, and within the customer's daily limit. A refused request writes nothing and says
 * from when it will be allowed.
 */
export async function requestEscalation(
  ctx: CommandContext,
  ticketId: string,
  input: CreateEscalationRequestInput,
  guardrails: EscalationRequestGuardrails,
): Promise<EscalationRequest> {
  const customer = authorizeEscalationRequest(ctx.actor);
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const ticket = await lockVisibleTicket(tx, customer, ticketId);
      // Serialises one customer's requests (on any of their tickets), so two sent at once cannot both pass
      // the daily limit. NO KEY UPDATE leaves inserts that merely reference the customer unblocked.
      await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, customer.id)).for("no key update");

      if (FINISHED_STATUSES.includes(ticket.status)) {
        throw new AppError("ticket_not_escalatable", `Ticket #${ticket.number} is ${ticket.status}; only a ticket still being worked on can be escalated.`);
      }
      const [open] = await tx
        .select({ createdAt: escalationRequests.createdAt })
        .from(escalationRequests)
        .where(and(eq(escalationRequests.ticketId, ticket.id), eq(escalationRequests.status, "open")));
      if (open) {
        throw new AppError("escalation_request_open", `Your escalation request of ${open.createdAt.toISOString()} on ticket #${ticket.number} is still waiting for an answer.`);
      }
      const clocks = await tx
        .select({ state: slaClocks.state, dueAt: slaClocks.dueAt, breachedAt: slaClocks.breachedAt, stoppedAt: slaClocks.stoppedAt })
        .from(slaClocks)
        .where(and(eq(slaClocks.ticketId, ticket.id), eq(slaClocks.metric, "first_response")));
      const allowedFrom = escalationAllowedFrom(ticket.createdAt, guardrails.minAgeMinutes, clocks);
      if (now < allowedFrom) {
        throw new AppError(
          "escalation_request_too_early",
          `Ticket #${ticket.number} can be escalated on request from ${allowedFrom.toISOString()}: ` +
            `${guardrails.minAgeMinutes} minutes after it was opened, or sooner if our first response is late.`,
        );
      }
      const recent = await tx
        .select({ createdAt: escalationRequests.createdAt })
        .from(escalationRequests)
        .where(and(eq(escalationRequests.customerId, customer.id), gt(escalationRequests.createdAt, dailyWindowStart(now))))
        .orderBy(desc(escalationRequests.createdAt))
        .limit(guardrails.dailyLimit);
      const nextAt = nextRequestAllowedAt(
        recent.map((r) => r.createdAt),
        guardrails.dailyLimit,
      );
      if (nextAt) {
        throw new AppError(
          "escalation_request_limit_reached",
          `You have made ${guardrails.dailyLimit} escalation requests in the last 24 hours, the most we take; you can ask again from ${nextAt.toISOString()}.`,
        );
      }

      const [request] = await tx
        .insert(escalationRequests)
        .values({ ticketId: ticket.id, customerId: customer.id, reason: input.reason, createdAt: now })
        .returning();
      const r = request!;
      await appendEvents(tx, customer, now, [
        { ticketId: ticket.id, type: "escalation_request.created", visibility: "public", data: { requestId: r.id, reason: r.reason } },
      ]);
      await enqueue(tx, now, "escalation_request.created", { ticketId: ticket.id, requestId: r.id, customerId: customer.id, teamId: ticket.teamId });
      return r;
    });
  } catch (err) {
    // The ticket lock makes the check above exact; the partial unique index is the backstop.
    if (isUniqueViolation(err)) throw new AppError("escalation_request_open", "An escalation request on this ticket is already waiting for an answer.");
    throw err;
  }
}
