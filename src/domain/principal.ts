import type { AgentRole } from "./vocabulary.js";

/** Who is acting: a signed-in agent, a signed-in customer, or Tierline itself (seeding, timers). */
export type AgentPrincipal = { kind: "agent"; id: string; role: AgentRole; teamIds: string[] };
export type CustomerPrincipal = { kind: "customer"; id: string };
export type SystemPrincipal = { kind: "system" };
export type Principal = AgentPrincipal | CustomerPrincipal | SystemPrincipal;

export const SYSTEM: SystemPrincipal = { kind: "system" };

/** The id recorded as the actor of an event, or null for the system. */
export function actorIdOf(p: Principal): string | null {
  return p.kind === "system" ? null : p.id;
}
