import type { Account, Approval, Calendar, Customer, Escalation, EscalationRequest, Level, Message, Resolution, SlaClock, SlaPolicyRow, Team, Ticket, TicketEvent } from "../db/schema.js";
import type { AgentWithTeams } from "../commands/create-agent.js";
import type { ResolutionWithApproval } from "../commands/create-resolution.js";
import type { ApprovalWithResolution } from "../commands/support/approvals.js";
import type { Page } from "../queries/cursor.js";
import type { TicketStatus } from "../domain/vocabulary.js";
import { parseAgentLimits } from "../domain/authority.js";
import type { OrganisationNames } from "../domain/customer-events.js";

type FinishedStatus = "resolved" | "closed";

/** Turns rows into API shapes: ISO 8601 times, no secrets (password hashes never leave the store). */
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const presentLevel = (l: Level) => ({ ...l, createdAt: iso(l.createdAt) });
export const presentTeam = (t: Team) => ({ ...t, createdAt: iso(t.createdAt) });
export const presentAgent = ({ passwordHash: _p, ...a }: AgentWithTeams) => ({
  ...a,
  authorityLimits: parseAgentLimits(a.authorityLimits),
  createdAt: iso(a.createdAt),
});
export const presentAccount = (a: Account) => ({ ...a, createdAt: iso(a.createdAt) });
export const presentCustomer = ({ passwordHash: _p, ...c }: Customer) => ({ ...c, createdAt: iso(c.createdAt) });
export const presentTicket = (t: Ticket) => ({
  ...t,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
  resolvedAt: isoOrNull(t.resolvedAt),
  closedAt: isoOrNull(t.closedAt),
});
/** A ticket as a staff list shows it (`TicketListItemDto`). */
export const presentListItem = (r: { ticket: Ticket; customerName: string; teamName: string; assigneeName: string | null; nextDueAt: Date | null }) => ({
  ...presentTicket(r.ticket),
  customerName: r.customerName,
  teamName: r.teamName,
  assigneeName: r.assigneeName,
  nextDueAt: isoOrNull(r.nextDueAt),
});
/** A ticket as its customer reads it (`CustomerTicketDto`): team and level by name, no assignee, tags or SLA policy. */
export const presentCustomerTicket = (
  { levelId, teamId, assigneeId: _assignee, tags: _tags, slaPolicyId: _sla, createdAt, updatedAt, resolvedAt, closedAt, ...t }: Ticket,
  names: OrganisationNames,
) => ({
  ...t,
  team: { name: names.teams.get(teamId) ?? "" },
  level: { name: names.levels.get(levelId) ?? "" },
  createdAt: iso(createdAt),
  updatedAt: iso(updatedAt),
  resolvedAt: isoOrNull(resolvedAt),
  closedAt: isoOrNull(closedAt),
});
export const presentMessage = (m: Message) => ({ ...m, createdAt: iso(m.createdAt) });
export const presentEscalation = (e: Escalation) => ({
  ...e,
  requestedAt: iso(e.requestedAt),
  acknowledgedAt: isoOrNull(e.acknowledgedAt),
  closedAt: isoOrNull(e.closedAt),
});
export const presentEvent = (e: TicketEvent) => ({ ...e, createdAt: iso(e.createdAt) });
export const presentCalendar = (c: Calendar) => ({ ...c, createdAt: iso(c.createdAt), updatedAt: iso(c.updatedAt) });
export const presentSlaPolicy = (p: SlaPolicyRow) => ({
  ...p,
  // The columns hold what the request schema accepted; the table types them loosely.
  pauseStatuses: p.pauseStatuses as Exclude<TicketStatus, FinishedStatus>[],
  steps: p.steps as Record<string, unknown>[],
  createdAt: iso(p.createdAt),
  updatedAt: iso(p.updatedAt),
});
/** A clock is paused when it is neither running nor stopped; when its current span began stays internal. */
export const presentClock = ({ runningSince, ...c }: SlaClock & { businessRemainingMs?: number; isOutsideHours?: boolean }) => ({
  ...c,
  isPaused: runningSince === null && c.stoppedAt === null,
  startedAt: iso(c.startedAt),
  dueAt: isoOrNull(c.dueAt),
  breachedAt: isoOrNull(c.breachedAt),
  stoppedAt: isoOrNull(c.stoppedAt),
});

const presentResolutionFields = (r: Resolution) => ({ ...r, createdAt: iso(r.createdAt), appliedAt: isoOrNull(r.appliedAt) });
const presentApprovalFields = (a: Approval) => ({
  ...a,
  requestedAt: iso(a.requestedAt),
  decidedAt: isoOrNull(a.decidedAt),
  dueAt: isoOrNull(a.dueAt),
});
export const presentResolution = ({ approval, ...r }: ResolutionWithApproval) => ({
  ...presentResolutionFields(r),
  approval: approval ? presentApprovalFields(approval) : null,
});
export const presentApproval = ({ resolution, ...a }: ApprovalWithResolution) => ({
  ...presentApprovalFields(a),
  resolution: presentResolutionFields(resolution),
});

export const presentEscalationRequest = (r: EscalationRequest) => ({ ...r, createdAt: iso(r.createdAt), decidedAt: isoOrNull(r.decidedAt) });

export function presentPage<T, U>(page: Page<T>, present: (row: T) => U) {
  return { data: page.data.map(present), nextCursor: page.nextCursor };
}
