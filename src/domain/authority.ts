import { AGENT_ROLES, RESOLUTION_TYPES, type AgentRole, type ResolutionType } from "./vocabulary.js";

/**
 * Authority limits: what a person may grant without an approval. Pure rules, no database: the commands
 * load the limits and the people, these functions decide.
 */

/** An amount in one currency (an ISO 4217 code). Amounts in different currencies are never compared. */
export type Money = { amount: number; currency: string };

/**
 * What a ticket already carries of one resolution type and currency when a new grant is asked for: the
 * applied and approved grants, and those still waiting for approval. Limits apply to the sum, so a request
 * is judged with all of these added (see `grantTotal`).
 */
export type GrantedBefore = {
  currency: string;
  /** Applied (directly or after approval) plus pending, in this currency. */
  amount: number;
  applied: number;
  pending: number;
  grants: { resolutionId: string; amount: number; status: "applied" | "pending_approval"; at: string }[];
};

/**
 * The amount a new grant is judged by: what was granted before on the ticket (applied, and pending too, so
 * two requests that each fit cannot together pass the limit while neither is decided) plus the request.
 */
export function grantTotal(before: Pick<GrantedBefore, "amount">, request: Money): Money {
  return { amount: (cents(before.amount) + cents(request.amount)) / 100, currency: request.currency };
}

/** An agent's own limits, per resolution type; a type not listed falls back to the role's limit. */
export type AgentLimits = Partial<Record<ResolutionType, Money>>;

/** A role's default limit for one resolution type. */
export type RoleLimit = { role: AgentRole; type: ResolutionType } & Money;

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** Whether a code is an ISO 4217 currency the runtime knows (EUR, USD, GBP, …). */
export function isIsoCurrency(code: string): boolean {
  return ISO_CURRENCIES.has(code);
}

/** Amounts are kept to the cent (numeric(14, 2)); compare them as whole cents so 0.1 + 0.2 is 0.3. */
const cents = (amount: number) => Math.round(amount * 100);

/**
 * The limit that applies to a person for a type: their own if set, else their role's, else none (which
 * covers nothing, as a limit of 0 would).
 */
export function effectiveLimit(own: AgentLimits, role: AgentRole, type: ResolutionType, roleLimits: readonly RoleLimit[]): Money | null {
  const mine = own[type];
  if (mine) return mine;
  const byRole = roleLimits.find((l) => l.role === role && l.type === type);
  return byRole ? { amount: byRole.amount, currency: byRole.currency } : null;
}

/** Whether a limit covers a request: same currency (no conversion) and an amount up to the limit. */
export function covers(limit: Money | null, request: Money): boolean {
  return limit !== null && limit.currency === request.currency && cents(request.amount) <= cents(limit.amount);
}

/**
 * An agent's stored limits, keeping only well-formed entries. The column predates phase 3, when limits
 * were `{ "refund_eur": 100 }`; such entries (or anything else malformed) are ignored, not trusted.
 */
export function parseAgentLimits(stored: unknown): AgentLimits {
  const limits: AgentLimits = {};
  if (typeof stored !== "object" || stored === null) return limits;
  for (const type of RESOLUTION_TYPES) {
    const entry = (stored as Record<string, unknown>)[type];
    if (typeof entry !== "object" || entry === null) continue;
    const { amount, currency } = entry as Record<string, unknown>;
    if (typeof amount === "number" && Number.isFinite(amount) && amount >= 0 && typeof currency === "string" && isIsoCurrency(currency)) {
      limits[type] = { amount, currency };
    }
  }
  return limits;
}

/** A person who may be asked to approve: their role, the rank of the highest level they work on, their limits. */
export type ApproverCandidate = { id: string; name: string; role: AgentRole; levelRank: number | null; limits: AgentLimits };

/** Seniority in approvals: agent < lead < manager < admin. */
export const roleRank = (role: AgentRole): number => AGENT_ROLES.indexOf(role);

/** Orders candidates from the lowest-ranked up: by role, then by the level of their highest team, then by name. */
export function compareApprovers(a: ApproverCandidate, b: ApproverCandidate): number {
  return (
    roleRank(a.role) - roleRank(b.role) ||
    (a.levelRank ?? -1) - (b.levelRank ?? -1) ||
    a.name.localeCompare(b.name) ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Whether `a` is senior to `b`: a higher role, or the same role on a higher level. Two people of the same
 * role on the same level are peers (the name only breaks ties when choosing), so an undecided approval
 * climbs to someone actually senior rather than sideways.
 */
export function isSeniorTo(a: ApproverCandidate, b: ApproverCandidate): boolean {
  const byRole = roleRank(a.role) - roleRank(b.role);
  return byRole > 0 || (byRole === 0 && (a.levelRank ?? -1) > (b.levelRank ?? -1));
}

/**
 * The person to ask: the lowest-ranked candidate whose effective limit covers the request, never the
 * requester, and (when escalating an undecided approval) only someone senior to the current approver.
 */
export function chooseApprover(
  candidates: readonly ApproverCandidate[],
  roleLimits: readonly RoleLimit[],
  request: Money & { type: ResolutionType; requesterId: string },
  seniorTo?: ApproverCandidate,
): ApproverCandidate | null {
  const eligible = candidates.filter(
    (c) =>
      c.id !== request.requesterId &&
      (!seniorTo || isSeniorTo(c, seniorTo)) &&
      covers(effectiveLimit(c.limits, c.role, request.type, roleLimits), request),
  );
  return eligible.sort(compareApprovers)[0] ?? null;
}

/** Role limits in a stable order: by role seniority, then by the order of the resolution types. */
export function sortRoleLimits<T extends { role: AgentRole; type: ResolutionType }>(limits: T[]): T[] {
  return [...limits].sort((a, b) => roleRank(a.role) - roleRank(b.role) || RESOLUTION_TYPES.indexOf(a.type) - RESOLUTION_TYPES.indexOf(b.type));
}
