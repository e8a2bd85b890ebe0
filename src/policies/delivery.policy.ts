import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/**
 * The delivery log (what was sent where, and what failed) is for managers and admins: it shows customers'
 * addresses and every ticket's notifications. Retrying a dead delivery is theirs too.
 */
export function authorizeDeliveryLog(actor: Principal): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent" || (actor.role !== "admin" && actor.role !== "manager")) {
    throw new AppError("forbidden", "Only managers and admins may see the delivery log.");
  }
}

/** A ticket's own deliveries are shown to staff who may see the ticket (the caller checks visibility). */
export function authorizeTicketDeliveries(actor: Principal): void {
  if (actor.kind === "customer") throw new AppError("forbidden", "Customers do not see notification deliveries.");
}

/** Webhooks send the organisation's data elsewhere and hold signing secrets: admins only. */
export function authorizeWebhooks(actor: Principal): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent" || actor.role !== "admin") throw new AppError("forbidden", "Only an admin may manage webhooks.");
}

/** Whether the actor sees webhook URLs in full: they may carry a secret in their path (Slack, Teams). */
export function seesWebhookUrls(actor: Principal): boolean {
  return actor.kind === "system" || (actor.kind === "agent" && actor.role === "admin");
}
