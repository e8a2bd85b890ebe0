import type { TeamKind } from "../vocabulary.js";

/** A team above the ticket's level, as the "next level" choice sees it. */
export type NextLevelCandidate = {
  id: string;
  name: string;
  kind: TeamKind;
  categories: readonly string[];
  levelRank: number;
  levelName: string;
};

/** The teams of the next level that the choice narrows to, and why they qualify. */
export type NextLevelShortlist<T extends NextLevelCandidate> = { teams: T[]; why: string };

/** The chosen team and the reason, for the timeline ("owns category printer; lowest open load 3"). */
export type NextLevelChoice<T extends NextLevelCandidate> = { team: T; why: string };

/** Categories compare without case or surrounding spaces: "Printer " is printer. */
export const normaliseCategory = (category: string): string => category.trim().toLowerCase();

/**
 * The teams of the lowest level above `rank` (a level without teams is skipped) that a hierarchical
 * escalation with no named team may go to, best group first: the teams owning the ticket's category,
 * else that level's management teams, else its frontline teams, else (a level of specialists none of
 * whom owns the category) all its teams. Null when no level above has a team.
 */
export function nextLevelShortlist<T extends NextLevelCandidate>(teams: readonly T[], rank: number, category: string | null): NextLevelShortlist<T> | null {
  const above = teams.filter((t) => t.levelRank > rank);
  if (above.length === 0) return null;
  const nextRank = Math.min(...above.map((t) => t.levelRank));
  const onNext = above.filter((t) => t.levelRank === nextRank);
  const levelName = onNext[0]!.levelName;
  const wanted = category === null ? "" : normaliseCategory(category);
  if (wanted !== "") {
    const owners = onNext.filter((t) => t.categories.some((c) => normaliseCategory(c) === wanted));
    if (owners.length > 0) return { teams: owners, why: `owns category ${category!.trim()}` };
  }
  for (const kind of ["management", "frontline"] as const satisfies TeamKind[]) {
    const ofKind = onNext.filter((t) => t.kind === kind);
    if (ofKind.length > 0) return { teams: ofKind, why: `${kind} team of ${levelName}` };
  }
  return { teams: onNext, why: `team of ${levelName}` };
}

/**
 * The default target of a hierarchical escalation ("next level"): from the shortlist above, the team
 * with the lowest open load (open tickets; a team missing from `openLoad` has none), then by name. The
 * reason names the load only when it decided between several teams.
 */
export function chooseNextLevelTeam<T extends NextLevelCandidate>(
  teams: readonly T[],
  rank: number,
  category: string | null,
  openLoad: ReadonlyMap<string, number> = new Map(),
): NextLevelChoice<T> | null {
  const shortlist = nextLevelShortlist(teams, rank, category);
  if (!shortlist) return null;
  return pickLowestLoad(shortlist, openLoad);
}

/** The least loaded team of a shortlist (by name among equals), with the reason. */
export function pickLowestLoad<T extends NextLevelCandidate>(shortlist: NextLevelShortlist<T>, openLoad: ReadonlyMap<string, number>): NextLevelChoice<T> {
  const load = (t: T) => openLoad.get(t.id) ?? 0;
  const [team] = [...shortlist.teams].sort((a, b) => load(a) - load(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const why = shortlist.teams.length > 1 ? `${shortlist.why}; lowest open load ${load(team!)}` : shortlist.why;
  return { team: team!, why };
}
