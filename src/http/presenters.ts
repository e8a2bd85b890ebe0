import type { Account, Customer, Escalation, Level, Message, Team, Ticket, TicketEvent } from "../db/schema.js";
import type { AgentWithTeams } from "../commands/create-agent.js";
import type { Page } from "../queries/cursor.js";

/** Turns rows into API shapes: ISO 8601 times, no secrets (password hashes never leave the store). */
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const presentLevel = (l: Level) => ({ ...l, createdAt: iso(l.createdAt) });
export const presentTeam = (t: Team) => ({ ...t, createdAt: iso(t.createdAt) });
export const presentAgent = ({ passwordHash: _p, ...a }: AgentWithTeams) => ({ ...a, createdAt: iso(a.createdAt) });
export const presentAccount = (a: Account) => ({ ...a, createdAt: iso(a.createdAt) });
export const presentCustomer = ({ passwordHash: _p, ...c }: Customer) => ({ ...c, createdAt: iso(c.createdAt) });
export const presentTicket = (t: Ticket) => ({
  ...t,
  createdAt: iso(t.createdAt),
  updatedAt: iso(t.updatedAt),
  resolvedAt: isoOrNull(t.resolvedAt),
  closedAt: isoOrNull(t.closedAt),
});
export const presentMessage = (m: Message) => ({ ...m, createdAt: iso(m.createdAt) });
export const presentEscalation = (e: Escalation) => ({
  ...e,
  requestedAt: iso(e.requestedAt),
  acknowledgedAt: isoOrNull(e.acknowledgedAt),
  closedAt: isoOrNull(e.closedAt),
});
export const presentEvent = (e: TicketEvent) => ({ ...e, createdAt: iso(e.createdAt) });

export function presentPage<T, U>(page: Page<T>, present: (row: T) => U) {
  return { data: page.data.map(present), nextCursor: page.nextCursor };
}
