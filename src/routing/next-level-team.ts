import { and, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import { levels, teams, tickets, type Team } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { nextLevelShortlist, pickLowestLoad, type NextLevelCandidate } from "../domain/routing/choose-next-level-team.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";

export type TeamCandidate = NextLevelCandidate & { row: Team };

/** The teams above a level's rank, with their levels, as `chooseNextLevelTeam` reads them. */
export async function teamsAbove(tx: Tx, rank: number): Promise<TeamCandidate[]> {
  const rows = await tx
    .select({ team: teams, rank: levels.rank, levelName: levels.name })
    .from(teams)
    .innerJoin(levels, eq(levels.id, teams.levelId))
    .where(gt(levels.rank, rank));
  return rows.map((r) => ({ id: r.team.id, name: r.team.name, kind: r.team.kind, categories: r.team.categories, levelRank: r.rank, levelName: r.levelName, row: r.team }));
}

/**
 * The default target of a hierarchical escalation from a ticket on `rank` with `category`, by
 * `chooseNextLevelTeam` (src/domain/routing): the next-level team owning the category, else that level's
 * management team, else its frontline team; among several, the lowest open load. Open loads are counted
 * only when they decide. `candidates` lets a caller that escalates many tickets (the deadline engine)
 * read the teams once. Null on the highest level.
 */
export async function nextLevelTeam(
  tx: Tx,
  ticket: { rank: number; category: string | null },
  candidates?: readonly TeamCandidate[],
): Promise<{ team: Team; why: string } | null> {
  const shortlist = nextLevelShortlist(candidates ?? (await teamsAbove(tx, ticket.rank)), ticket.rank, ticket.category);
  if (!shortlist) return null;
  const load = new Map<string, number>();
  if (shortlist.teams.length > 1) {
    const rows = await tx
      .select({ teamId: tickets.teamId, n: sql<number>`count(*)::int` })
      .from(tickets)
      .where(and(inArray(tickets.teamId, shortlist.teams.map((t) => t.id)), notInArray(tickets.status, [...FINISHED_STATUSES])))
      .groupBy(tickets.teamId);
    for (const r of rows) load.set(r.teamId, Number(r.n));
  }
  const choice = pickLowestLoad(shortlist, load);
  return { team: choice.team.row, why: choice.why };
}
