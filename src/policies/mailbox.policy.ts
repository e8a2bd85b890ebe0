import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/** Mailboxes (addresses, teams, IMAP accounts and their passwords) are set up and seen by admins only. */
export function authorizeMailboxes(actor: Principal): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent" || actor.role !== "admin") throw new AppError("forbidden", "Only an admin may see or change mailboxes.");
}

/**
 * The inbound mail log and its quarantine (raw messages of anyone who wrote in) are for managers and
 * admins; they reprocess quarantined mail.
 */
export function authorizeInboundMail(actor: Principal): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent" || (actor.role !== "admin" && actor.role !== "manager")) {
    throw new AppError("forbidden", "Only managers and admins may see the inbound mail log.");
  }
}
