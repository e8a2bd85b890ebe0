import { eq } from "drizzle-orm";
import { escalationRequests, type EscalationRequest } from "../db/schema.js";
import { authorizeEscalationAnswer } from "../policies/escalation-request.policy.js";
import type { DeclineEscalationRequestInput } from "../schemas/escalation-request.schemas.js";
import type { CommandContext } from "./context.js";
import { lockRequestForAnswer } from "./support/escalation-requests.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * Staff decline a customer's escalation request with a reason the customer reads on their timeline and in
 * the request. The ticket stays where it is; the customer may ask again later, within the guardrails.
 */
export async function declineEscalationRequest(ctx: CommandContext, requestId: string, input: DeclineEscalationRequestInput): Promise<EscalationRequest> {
  const agent = authorizeEscalationAnswer(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { request, ticket } = await lockRequestForAnswer(tx, agent, requestId);
    const [declined] = await tx
      .update(escalationRequests)
      .set({ status: "declined", decidedById: agent.id, decidedAt: now, answer: input.reason })
      .where(eq(escalationRequests.id, request.id))
      .returning();
    await appendEvents(tx, agent, now, [
      { ticketId: ticket.id, type: "escalation_request.declined", visibility: "public", data: { requestId: request.id, answer: input.reason } },
    ]);
    await enqueue(tx, now, "escalation_request.declined", { ticketId: ticket.id, requestId: request.id, customerId: request.customerId, answer: input.reason });
    return declined!;
  });
}
