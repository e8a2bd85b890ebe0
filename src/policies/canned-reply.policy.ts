import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/**
 * Canned replies: every agent reads and inserts them; leads, managers and admins write them, since they
 * speak to customers in the organisation's name. Customers never see them.
 */
export function authorizeCannedReplies(actor: Principal, action: "read" | "manage"): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent") throw new AppError("forbidden", "Only staff may use canned replies.");
  if (action === "manage" && actor.role === "agent") {
    throw new AppError("forbidden", "Only leads, managers and admins may add, change or delete canned replies.");
  }
}
