import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";

/** Email templates are what Tierline says in the organisation's name: only admins read, edit and preview them. */
export function authorizeEmailTemplates(actor: Principal): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent" || actor.role !== "admin") throw new AppError("forbidden", "Only an admin may see and change email templates.");
}
