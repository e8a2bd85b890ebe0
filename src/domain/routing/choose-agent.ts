/** An agent of the target team as routing sees them. */
export type RoutingCandidate = {
  id: string;
  name: string;
  skills: string[];
  languages: string[];
  availability: "online" | "away" | "offline";
  openTickets: number;
  capacity: number;
  lastAssignedAt: Date | null;
  /** Within their working hours now (an agent without a working-hours calendar always is). */
  onShift: boolean;
};

/** What the ticket asks of the agent: its category as a skill, and a language (from a `lang:xx` tag). */
export type RoutingNeeds = { category: string | null; language: string | null };

export type RoutingChoice = { agentId: string; why: string } | { agentId: null; why: string };

/**
 * The most suitable agent: online and within their working hours, with room under their capacity; among them those with the category
 * as a skill and the customer's language, when anyone has them; then the lowest load (open tickets over
 * capacity); among equals, whoever routing served longest ago (round-robin). The answer says why, for the
 * timeline ("Ana: skill billing, load 3/8").
 */
export function chooseAgent(candidates: RoutingCandidate[], needs: RoutingNeeds): RoutingChoice {
  const online = candidates.filter((c) => c.availability === "online");
  if (online.length === 0) return { agentId: null, why: "nobody in the team is online" };
  const working = online.filter((c) => c.onShift);
  if (working.length === 0) return { agentId: null, why: "nobody online is within their working hours" };
  const withRoom = working.filter((c) => c.openTickets < c.capacity);
  if (withRoom.length === 0) return { agentId: null, why: "everyone online is at capacity" };
  let pool = withRoom;
  const reasons: string[] = [];
  if (needs.category && pool.some((c) => c.skills.includes(needs.category!))) {
    pool = pool.filter((c) => c.skills.includes(needs.category!));
    reasons.push(`skill ${needs.category}`);
  }
  if (needs.language && pool.some((c) => c.languages.includes(needs.language!))) {
    pool = pool.filter((c) => c.languages.includes(needs.language!));
    reasons.push(`speaks ${needs.language}`);
  }
  const load = (c: RoutingCandidate) => c.openTickets / c.capacity;
  const best = [...pool].sort(
    (a, b) => load(a) - load(b) || (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) || a.name.localeCompare(b.name),
  )[0]!;
  reasons.push(`load ${best.openTickets}/${best.capacity}`);
  return { agentId: best.id, why: `${best.name}: ${reasons.join(", ")}` };
}
