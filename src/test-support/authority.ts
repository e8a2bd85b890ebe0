import { sql, type SQL } from "drizzle-orm";
import { expect } from "vitest";
import { queryRows } from "../db/raw.js";
import { outbox } from "../db/schema.js";
import type { Harness } from "./harness.js";
import type { ticketApi } from "./ticket-api.js";

/**
 * Role defaults the approval tests work with: an agent may refund 50 EUR, a lead 100, a manager 500, an
 * admin 5000; leads may also credit 200 EUR. Replacements and goodwill have no defaults.
 */
export const ROLE_LIMITS = [
  { role: "agent", type: "refund", amount: 50, currency: "EUR" },
  { role: "lead", type: "refund", amount: 100, currency: "EUR" },
  { role: "lead", type: "credit", amount: 200, currency: "EUR" },
  { role: "manager", type: "refund", amount: 500, currency: "EUR" },
  { role: "admin", type: "refund", amount: 5000, currency: "EUR" },
] as const;

/** Sets ROLE_LIMITS through the API, as the admin. */
export async function useRoleLimits(api: ReturnType<typeof ticketApi>): Promise<void> {
  const res = await api.send(api.as.admin, "PUT", "/authority-limits", ROLE_LIMITS);
  expect(res.status, res.text).toBe(200);
}

/** Everything a resolution request could write for a ticket, counted, to show that a refusal wrote nothing. */
export async function writesOf(h: Harness, ticketId: string) {
  const count = async (query: SQL) => (await queryRows<{ n: number }>(h.store.db, query))[0]!;
  const [r, a, d, e, o] = await Promise.all([
    count(sql`select count(*)::int as n from resolutions where ticket_id = ${ticketId}`),
    count(sql`select count(*)::int as n from approvals where ticket_id = ${ticketId}`),
    count(sql`select count(*)::int as n from deadlines where ticket_id = ${ticketId}`),
    count(sql`select count(*)::int as n from events where ticket_id = ${ticketId}`),
    count(sql`select count(*)::int as n from outbox`),
  ]);
  return { resolutions: r.n, approvals: a.n, deadlines: d.n, events: e.n, outbox: o.n };
}

/** The outbox rows of one topic about one ticket, oldest first. */
export async function outboxOf(h: Harness, topic: string, ticketId: string) {
  const rows = await h.store.db.select().from(outbox).where(sql`${outbox.topic} = ${topic} and ${outbox.payload}->>'ticketId' = ${ticketId}`).orderBy(outbox.id);
  return rows.map((r) => r.payload);
}
