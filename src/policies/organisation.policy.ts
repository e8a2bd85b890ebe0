import { AppError } from "../domain/errors.js";
import type { AgentPrincipal, Principal } from "../domain/principal.js";

/**
 * Organisation data (levels, teams, agents, escalation rules, authority limits, the policy) is read by
 * staff and changed only by admins. `what` names the data in the refusal ("escalation rules"), so each
 * refusal says what was refused. Customers and customer records are managed by staff.
 */
export function authorizeOrganisation(actor: Principal, action: "read" | "manage", what: string): void {
  if (actor.kind === "system") return;
  if (actor.kind !== "agent") throw new AppError("forbidden", `Only staff may see ${what}.`);
  if (action === "manage" && actor.role !== "admin") {
    throw new AppError("forbidden", `Only an admin may change ${what}.`);
  }
}

/** Customer records are read and created by any staff member; customers see only themselves. */
export function authorizeCustomers(actor: Principal): void {
  if (actor.kind === "customer") throw new AppError("forbidden", "Customers cannot list or create customers.");
}

/** Throws unless the actor is an agent (any role). Returns the agent for narrowing. */
export function requireAgent(actor: Principal, what: string): AgentPrincipal {
  if (actor.kind !== "agent") throw new AppError("forbidden", `Only staff may ${what}.`);
  return actor;
}

/**
 * API tokens act as their agent: each agent lists and revokes their own; an admin also those of others
 * (a leaver's, a leaked one). Returns the agent whose tokens are meant.
 */
export function authorizeApiTokens(actor: Principal, agentId: string | undefined): string {
  const agent = requireAgent(actor, "have API tokens");
  const owner = agentId ?? agent.id;
  if (owner !== agent.id && agent.role !== "admin") throw new AppError("forbidden", "Only an admin may see or revoke someone else's API tokens.");
  return owner;
}
