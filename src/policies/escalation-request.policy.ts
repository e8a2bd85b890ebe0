import { AppError } from "../domain/errors.js";
import type { AgentPrincipal, CustomerPrincipal, Principal } from "../domain/principal.js";

/**
 * Only a customer asks for their ticket to be escalated (that it is their own ticket follows from ticket
 * visibility: another customer's ticket is not found). Staff escalate directly.
 */
export function authorizeEscalationRequest(actor: Principal): CustomerPrincipal {
  if (actor.kind !== "customer") {
    throw new AppError("forbidden", "Only the ticket's customer can ask for escalation; staff escalate with POST /tickets/{id}/escalations.");
  }
  return actor;
}

/** Staff who can see the ticket answer its customer's escalation requests. */
export function authorizeEscalationAnswer(actor: Principal): AgentPrincipal {
  if (actor.kind !== "agent") throw new AppError("forbidden", "Only staff answer escalation requests.");
  return actor;
}
