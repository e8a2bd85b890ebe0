import { AppError } from "../domain/errors.js";
import type { AgentPrincipal, Principal } from "../domain/principal.js";

/** Managers and admins oversee everyone's approvals; everyone else sees only their own queue. */
const overseesApprovals = (agent: AgentPrincipal) => agent.role === "manager" || agent.role === "admin";

/** Throws unless the actor may list the approvals assigned to `approverId`. */
export function authorizeApprovalList(actor: Principal, approverId: string): void {
  if (actor.kind !== "agent") throw new AppError("forbidden", "Only staff have approvals.");
  if (approverId !== actor.id && !overseesApprovals(actor)) {
    throw new AppError("forbidden", "Only managers and admins may list someone else's approvals.");
  }
}

/** Whether the actor may read one approval: its approver, its requester, managers and admins. */
export function canSeeApproval(actor: Principal, approval: { approverId: string; resolution: { requestedById: string } }): boolean {
  if (actor.kind !== "agent") return false;
  return overseesApprovals(actor) || approval.approverId === actor.id || approval.resolution.requestedById === actor.id;
}
