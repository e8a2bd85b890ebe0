import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/**
 * What the portal reads of the installation (may customers choose a priority, which categories exist) is
 * no secret from anyone signed in: customers read it to fill in the new-ticket form, staff to preview it.
 */
export function authorizePortalSettingsRead(actor: Principal): void {
  if (actor.kind === "agent" || actor.kind === "customer" || actor.kind === "system") return;
  throw new AppError("unauthenticated", "Sign in first.");
}
