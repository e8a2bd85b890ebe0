import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/**
 * Business-hours calendars and SLA policies are read by staff and changed only by admins: they decide
 * every ticket's due times, so a change is an administrative act. Customers see neither. `what` names
 * which of the two was refused.
 */
export function authorizeSlaSetup(actor: Principal, action: "read" | "manage", what: "calendars" | "SLA policies"): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent") throw new AppError("forbidden", `Only staff may see ${what}.`);
  if (action === "manage" && actor.role !== "admin") {
    throw new AppError("forbidden", `Only an admin may change ${what}.`);
  }
}
