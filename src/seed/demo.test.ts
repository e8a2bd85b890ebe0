import { asc, count, eq, isNull } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../commands/log-in.js";
import { accounts, agentTeams, agents, customers, escalations, events, levels, messages, teams, tickets } from "../db/schema.js";
import { FakeClock } from "../domain/clock.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { openTestStore } from "../test-support/test-store.js";
import { DateTime } from "luxon";
import { outbox, roleLimits, slaClocks, slaPolicies } from "../db/schema.js";
import { DEMO_PASSWORD, isStoreEmpty, seedDemo, type DemoSummary } from "./demo.js";
import { DEMO_TICKETS, planDemo } from "./demo-plan.js";

const DAY = 24 * 3_600_000;

describe("demo seed", async () => {
  const store = await openTestStore();
  const now = new Date("2026-03-02T09:00:00Z");
  let wasEmpty = false;
  let summary: DemoSummary;
  beforeAll(async () => {
    wasEmpty = await isStoreEmpty(store);
    summary = await seedDemo(store, { now, seed: 42 });
  }, 120_000);

  const all = async () => ({
    tickets: await store.db.select().from(tickets).orderBy(asc(tickets.number)),
    events: await store.db.select().from(events).orderBy(asc(events.id)),
    escalations: await store.db.select().from(escalations).orderBy(asc(escalations.requestedAt)),
    messages: await store.db.select().from(messages),
  });

  it("marks the replayed history's notifications as handled, so nothing is sent for it", async () => {
    const [pending] = await store.db.select({ n: count() }).from(outbox).where(isNull(outbox.dispatchedAt));
    expect(pending!.n).toBe(0);
    const [all] = await store.db.select({ n: count() }).from(outbox);
    expect(all!.n).toBeGreaterThan(100);
  });

  it("sets role authority limits, rising with the role", async () => {
    const limits = await store.db.select().from(roleLimits);
    const refund = (role: string) => limits.find((l) => l.role === role && l.type === "refund")!.amount;
    expect(refund("agent")).toBeLessThan(refund("lead"));
    expect(refund("lead")).toBeLessThan(refund("manager"));
  });

  it("seeds an empty store, which is no longer empty afterwards", async () => {
    expect(wasEmpty).toBe(true);
    expect(await isStoreEmpty(store)).toBe(false);
  });

  it("refuses to seed a store that is already set up, adding nothing", async () => {
    const [before] = await store.db.select({ n: count() }).from(tickets);
    await expect(seedDemo(store, { now, seed: 42 })).rejects.toThrow(/empty store/);
    const [after] = await store.db.select({ n: count() }).from(tickets);
    expect(after!.n).toBe(before!.n);
  });

  it("builds an organisation of the advertised size and reports what it wrote", async () => {
    expect(summary.levels).toBe(3);
    expect(summary.teams).toBe(4);
    expect(summary.agents).toBeGreaterThanOrEqual(10);
    expect(summary.agents).toBeLessThanOrEqual(12);
    expect(summary.accounts).toBeGreaterThanOrEqual(12);
    expect(summary.accounts).toBeLessThanOrEqual(18);
    expect(summary.customers).toBeGreaterThanOrEqual(40);
    expect(summary.customers).toBeLessThanOrEqual(60);
    expect(summary.tickets).toBeGreaterThanOrEqual(250);
    expect(summary.tickets).toBeLessThanOrEqual(350);
    // What the README and the CLI say: 300 with history, and the four that show the rules at work.
    expect(summary.historyTickets).toBe(DEMO_TICKETS);
    expect(summary.showcaseTickets).toBe(4);
    expect(summary.tickets).toBe(summary.historyTickets + summary.showcaseTickets);
    expect(summary.messages).toBeGreaterThanOrEqual(2 * summary.tickets);
    expect(summary.escalations).toBeGreaterThanOrEqual(40);
    expect(summary.escalations).toBeLessThanOrEqual(200);

    const countOf = async (table: PgTable) => (await store.db.select({ n: count() }).from(table))[0]!.n;
    expect({
      levels: await countOf(levels),
      teams: await countOf(teams),
      agents: await countOf(agents),
      accounts: await countOf(accounts),
      customers: await countOf(customers),
      tickets: await countOf(tickets),
      messages: await countOf(messages),
      escalations: await countOf(escalations),
    }).toEqual({ ...summary, historyTickets: undefined, showcaseTickets: undefined });
  });

  it("has three levels and the frontline, billing, technical and management teams on them", async () => {
    const levelRows = await store.db.select().from(levels).orderBy(asc(levels.rank));
    expect(levelRows.map((l) => l.name)).toEqual(["L1 Frontline", "L2 Specialists", "L3 Management"]);
    const rankOf = new Map(levelRows.map((l) => [l.id, l.rank]));
    const teamRows = await store.db.select().from(teams);
    const where = Object.fromEntries(teamRows.map((t) => [t.name, [t.kind, rankOf.get(t.levelId)]]));
    expect(where).toEqual({
      "Frontline Support": ["frontline", 1],
      Billing: ["specialist", 2],
      Technical: ["specialist", 2],
      Management: ["management", 3],
    });
  });

  it("lets the named demo staff and a demo customer sign in with the demo password", async () => {
    const teamRows = await store.db.select().from(teams);
    const memberships = await store.db.select().from(agentTeams);
    const teamsOf = (agentId: string) =>
      memberships.filter((m) => m.agentId === agentId).map((m) => teamRows.find((t) => t.id === m.teamId)!.name);
    const ctx = { db: store.db, clock: new FakeClock(now) };
    const expected: [string, string, string[]][] = [
      ["admin@tierline.demo", "admin", []],
      ["ava.frontline@tierline.demo", "agent", ["Frontline Support"]],
      ["lucas.lead@tierline.demo", "lead", ["Frontline Support"]],
      ["bianca.billing@tierline.demo", "agent", ["Billing"]],
      ["theo.tech@tierline.demo", "agent", ["Technical"]],
      ["maria.manager@tierline.demo", "manager", ["Management"]],
    ];
    for (const [email, role, teamNames] of expected) {
      const { user } = await logIn(ctx, { email, password: DEMO_PASSWORD }, 1);
      expect(user.kind, email).toBe("agent");
      expect(user.role, email).toBe(role);
      expect(teamsOf(user.id), email).toEqual(teamNames);
    }
    await expect(logIn(ctx, { email: "ava.frontline@tierline.demo", password: "not-the-password" }, 1)).rejects.toMatchObject({
      code: "invalid_credentials",
    });
    // The CLI points at the first customer in the customer list (ordered by name).
    const [first] = await store.db.select().from(customers).orderBy(asc(customers.name), asc(customers.id)).limit(1);
    const { user } = await logIn(ctx, { email: first!.email, password: DEMO_PASSWORD }, 1);
    expect(user.kind).toBe("customer");
  });

  it("has customers on every tier, most of them in accounts", async () => {
    const rows = await store.db.select().from(customers);
    expect(new Set(rows.map((c) => c.tier))).toEqual(new Set(["standard", "priority", "vip"]));
    expect(rows.filter((c) => c.accountId !== null).length).toBeGreaterThan(rows.length / 2);
  });

  it("gives every ticket a timeline that starts with its creation and runs forward in time, never past now", async () => {
    const { tickets: ticketRows, events: eventRows } = await all();
    const byTicket = new Map<string, typeof eventRows>();
    for (const e of eventRows) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);
    for (const t of ticketRows) {
      const timeline = byTicket.get(t.id) ?? [];
      expect(timeline[0]?.type, `#${t.number}`).toBe("ticket.created");
      expect(timeline[0]!.createdAt.getTime()).toBe(t.createdAt.getTime());
      for (let i = 1; i < timeline.length; i++) {
        expect(timeline[i]!.createdAt.getTime(), `#${t.number} event ${i}`).toBeGreaterThanOrEqual(timeline[i - 1]!.createdAt.getTime());
      }
      expect(t.createdAt.getTime()).toBeGreaterThanOrEqual(now.getTime() - 60 * DAY);
      expect(t.updatedAt.getTime(), `#${t.number}`).toBeLessThanOrEqual(now.getTime());
    }
    expect(Math.max(...eventRows.map((e) => e.createdAt.getTime()))).toBeLessThanOrEqual(now.getTime());
    // Tickets are numbered in the order they arrived.
    const created = ticketRows.map((t) => t.createdAt.getTime());
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it("keeps every escalated ticket where its active escalation sent it", async () => {
    const { tickets: ticketRows, escalations: escalationRows } = await all();
    for (const t of ticketRows) {
      const active = escalationRows.filter((e) => e.ticketId === t.id && e.status !== "closed");
      expect(active.length, `#${t.number} active escalations`).toBeLessThanOrEqual(1);
      if (active[0]) {
        expect([t.levelId, t.teamId], `#${t.number}`).toEqual([active[0].toLevelId, active[0].toTeamId]);
        expect(FINISHED_STATUSES).not.toContain(t.status);
      }
    }
    for (const e of escalationRows) {
      if (e.acknowledgedAt) expect(e.acknowledgedAt.getTime()).toBeGreaterThanOrEqual(e.requestedAt.getTime());
      expect(e.status === "closed").toBe(e.closedAt !== null);
      expect(e.note.length).toBeGreaterThanOrEqual(10);
    }
    const teamRows = await store.db.select().from(teams);
    const teamName = (id: string) => teamRows.find((t) => t.id === id)!.name;
    const kinds = new Set(escalationRows.map((e) => `${e.kind}→${teamName(e.toTeamId)}`));
    expect(kinds).toEqual(new Set(["functional→Billing", "functional→Technical", "hierarchical→Management"]));
    const outcomes = new Set(escalationRows.map((e) => e.outcome));
    for (const outcome of ["de_escalated", "escalated_further", "resolved"]) expect(outcomes).toContain(outcome);
    expect(escalationRows.filter((e) => e.acknowledgedAt !== null).length).toBeGreaterThan(escalationRows.length * 0.8);
  });

  it("gives tickets statuses that fit their history: old ones finished, recent ones still in work", async () => {
    const { tickets: ticketRows, messages: messageRows } = await all();
    for (const t of ticketRows) {
      expect(t.resolvedAt !== null, `#${t.number} ${t.status} resolvedAt`).toBe(t.status === "resolved" || t.status === "closed");
      expect(t.closedAt !== null, `#${t.number} ${t.status} closedAt`).toBe(t.status === "closed");
      if (t.status === "new") {
        expect(messageRows.some((m) => m.ticketId === t.id && m.kind === "public"), `#${t.number} is new yet answered`).toBe(false);
      }
    }
    expect(new Set(ticketRows.map((t) => t.status))).toEqual(new Set(["new", "open", "pending", "on_hold", "resolved", "closed"]));
    const old = ticketRows.filter((t) => t.createdAt.getTime() < now.getTime() - 21 * DAY);
    const recent = ticketRows.filter((t) => t.createdAt.getTime() > now.getTime() - 2 * DAY);
    expect(old.filter((t) => FINISHED_STATUSES.includes(t.status)).length).toBeGreaterThan(old.length * 0.9);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.filter((t) => !FINISHED_STATUSES.includes(t.status)).length).toBeGreaterThan(recent.length / 2);
  });

  it("varies categories, channels and priorities, and has customer messages, replies and internal notes", async () => {
    const { tickets: ticketRows, messages: messageRows } = await all();
    expect(new Set(ticketRows.map((t) => t.category))).toEqual(new Set(["billing", "technical", "account", "shipping", "returns", "general"]));
    expect(new Set(ticketRows.map((t) => t.channel))).toEqual(new Set(["email", "web", "chat", "phone", "social", "api"]));
    expect(new Set(ticketRows.map((t) => t.priority))).toEqual(new Set(["low", "normal", "high", "urgent"]));
    expect(new Set(messageRows.map((m) => m.kind))).toEqual(new Set(["customer", "public", "internal"]));
    const customerOf = new Map(ticketRows.map((t) => [t.id, t.customerId]));
    for (const m of messageRows) {
      if (m.kind === "customer") expect(m.authorCustomerId).toBe(customerOf.get(m.ticketId));
      else expect(m.authorAgentId).not.toBeNull();
      expect(m.body).not.toMatch(/\{\w+\}/);
    }
    expect(ticketRows.some((t) => t.reopenCount > 0)).toBe(true);
  });

  it("is reproducible: the same seed plans the same demo, another seed another one", async () => {
    const plan = planDemo(42, now);
    expect(planDemo(42, now)).toEqual(plan);
    expect(planDemo(7, now).tickets.map((t) => t.subject)).not.toEqual(plan.tickets.map((t) => t.subject));
    const { tickets: ticketRows } = await all();
    // The planned history, then the four tickets that show the escalation matrix at work.
    expect(ticketRows.slice(0, plan.tickets.length).map((t) => t.subject)).toEqual(plan.tickets.map((t) => t.subject));
    expect(ticketRows).toHaveLength(plan.tickets.length + 4);
  });

  it("shows each rule of the escalation matrix firing", async () => {
    const fired = (await store.db.select().from(events).where(eq(events.type, "rule.fired"))).map((e) => e.data.rule);
    expect([...new Set(fired)].sort()).toEqual([
      "Legal threats to management",
      "Payment failures to billing",
      "Third reopen is a recurring issue",
      "Urgent VIP tickets straight to L2",
    ]);
    const byReason = (await store.db.select().from(escalations)).filter((e) => e.requestedById === null).map((e) => e.reason);
    expect(byReason).toEqual(expect.arrayContaining(["legal_risk", "needs_expertise", "recurring_issue"]));
  });

  it("runs the open tickets under the demo's SLA policies, on office hours, and none of the finished ones", async () => {
    const { tickets: all } = await (async () => ({ tickets: await store.db.select().from(tickets) }))();
    const policies = await store.db.select().from(slaPolicies);
    expect(policies.map((p) => p.name).sort()).toEqual(["Standard", "VIP customers"]);
    const open = all.filter((t) => t.status !== "resolved" && t.status !== "closed");
    const finished = all.filter((t) => t.status === "resolved" || t.status === "closed");
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((t) => t.slaPolicyId !== null)).toBe(true);
    const clocks = await store.db.select().from(slaClocks);
    const withClocks = new Set(clocks.map((c) => c.ticketId));
    expect(open.every((t) => withClocks.has(t.id))).toBe(true);
    expect(finished.some((t) => withClocks.has(t.id))).toBe(false);
    // Counted in Berlin office hours: every running clock falls due on a weekday between 08:00 and 18:00 there.
    const running = clocks.filter((c) => c.dueAt !== null && c.stoppedAt === null);
    expect(running.length).toBeGreaterThan(0);
    for (const c of running) {
      const local = DateTime.fromJSDate(c.dueAt!, { zone: "Europe/Berlin" });
      expect(local.weekday, c.dueAt!.toISOString()).toBeLessThanOrEqual(5);
      const minutes = local.hour * 60 + local.minute;
      expect(minutes, c.dueAt!.toISOString()).toBeGreaterThanOrEqual(8 * 60);
      expect(minutes, c.dueAt!.toISOString()).toBeLessThanOrEqual(18 * 60);
    }
  });
});
