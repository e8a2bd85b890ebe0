import { eq } from "drizzle-orm";
import { escalationRequests, type EscalationRequest, type Ticket } from "../../db/schema.js";
import type { Tx } from "../../db/store.js";
import { AppError, notFound } from "../../domain/errors.js";
import type { AgentPrincipal } from "../../domain/principal.js";
import { authorizeTicketWork } from "../../policies/ticket.policy.js";
import { lockVisibleTicket } from "./load-ticket.js";

/**
 * Loads an escalation request for an answer: not found (also when its ticket is not visible to the agent,
 * so its existence is not disclosed), then its ticket locked, then the request read again under that lock
 * — another answer may have committed meanwhile — and refused if already answered. Answering is ticket
 * work: past participants who still read the ticket may not (see `authorizeTicketWork`).
 */
export async function lockRequestForAnswer(tx: Tx, agent: AgentPrincipal, requestId: string): Promise<{ request: EscalationRequest; ticket: Ticket }> {
  const [found] = await tx.select({ ticketId: escalationRequests.ticketId }).from(escalationRequests).where(eq(escalationRequests.id, requestId));
  if (!found) throw notFound("escalation_request_not_found", "Escalation request", requestId);
  const ticket = await lockVisibleTicket(tx, agent, found.ticketId).catch((err: unknown) => {
    if (err instanceof AppError && err.code === "ticket_not_found") throw notFound("escalation_request_not_found", "Escalation request", requestId);
    throw err;
  });
  authorizeTicketWork(agent, ticket, "answer this ticket's escalation requests");
  const [request] = await tx.select().from(escalationRequests).where(eq(escalationRequests.id, requestId));
  const r = request!;
  if (r.status !== "open") {
    throw new AppError("escalation_request_decided", `This escalation request was already ${r.status} at ${r.decidedAt!.toISOString()}.`);
  }
  return { request: r, ticket };
}
