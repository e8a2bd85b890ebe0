import type { TeamKind } from "./vocabulary.js";

/*
 * What a customer's timeline says of an escalation: the team and level by name and a plain sentence,
 * never the handover note, the reason code, the agent or any internal id.
 */

const TAKER: Record<TeamKind, string> = { specialist: "A specialist", management: "A manager", frontline: "An agent" };

/** The team as a customer reads it: "our Billing specialists", "our Management team", "our Frontline Support team". */
export function teamPhrase(team: { name: string; kind: TeamKind }): string {
  const name = team.name.trim();
  if (/\b(team|specialists)$/i.test(name)) return `our ${name}`;
  return team.kind === "specialist" ? `our ${name} specialists` : `our ${name} team`;
}

type Named = { team: { name: string; kind: TeamKind }; level: string };

/** `ticket.escalated`: "Your request is now with our Billing specialists". */
export const escalatedEvent = ({ team, level }: Named) => ({ team: team.name, level, text: `Your request is now with ${teamPhrase(team)}.` });

/** `ticket.taken_over`: "A specialist has taken it over". */
export const takenOverEvent = ({ team, level }: Named) => ({ team: team.name, level, text: `${TAKER[team.kind]} has taken it over.` });

/** `ticket.handed_back`: "Your request is back with our Frontline support team". */
export const handedBackEvent = ({ team, level }: Named) => ({ team: team.name, level, text: `Your request is back with ${teamPhrase(team)}.` });

/** Team and level names by id, for rewriting what a customer reads. */
export type OrganisationNames = { teams: ReadonlyMap<string, string>; levels: ReadonlyMap<string, string> };

/**
 * A public event as a customer reads it: `ticket.created` names the level and team instead of their ids,
 * and leaves out the assignee (an agent's id is internal). Other public events already carry only what a
 * customer may see.
 */
export function customerEventData(type: string, data: Record<string, unknown>, names: OrganisationNames): Record<string, unknown> {
  if (type !== "ticket.created" || typeof data.after !== "object" || data.after === null) return data;
  const { levelId, teamId, assigneeId: _assignee, ...after } = data.after as Record<string, unknown>;
  return {
    ...data,
    after: {
      ...after,
      level: typeof levelId === "string" ? (names.levels.get(levelId) ?? null) : null,
      team: typeof teamId === "string" ? (names.teams.get(teamId) ?? null) : null,
    },
  };
}
