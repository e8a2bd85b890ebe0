import { count, eq, inArray, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { customers, deadlines, escalations, events, messages, slaClocks, tickets } from "../db/schema.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { startHarness } from "../test-support/harness.js";
import { insertPolicy } from "../test-support/sla-factories.js";
import { seedVolume, type VolumeSummary } from "./volume.js";

const DAY = 24 * 3_600_000;
const TICKETS = 600;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("volume seed", async () => {
  const h = await startHarness();
  const now = h.clock.now();
  let policyId: string;
  let first: VolumeSummary;
  let second: VolumeSummary;
  const customersBefore = async () => (await h.store.db.select({ n: count() }).from(customers))[0]!.n;
  let customerCountBefore = 0;

  beforeAll(async () => {
    policyId = await insertPolicy(h.store, {
      name: "Everyone",
      targets: { first_response: { low: "PT8H", normal: "PT4H", high: "PT1H", urgent: "PT30M" }, resolution: { low: "P10D", normal: "P5D", high: "P2D", urgent: "P1D" } },
    });
    customerCountBefore = await customersBefore();
    first = await seedVolume(h.store, { tickets: TICKETS, now, seed: 1, batchSize: 250 });
    // A second run on the same store: more tickets, numbered after the first run's, new customers beside the first run's.
    second = await seedVolume(h.store, { tickets: 50, now, seed: 1 });
  }, 120_000);

  it("adds the tickets with numbers from the sequence, a second run after the first", async () => {
    expect(first.tickets).toBe(TICKETS);
    expect(second.tickets).toBe(50);
    const [n] = await h.store.db.select({ n: count() }).from(tickets);
    expect(n!.n).toBe(TICKETS + 50);
    expect(first.lastNumber! - first.firstNumber! + 1).toBe(TICKETS);
    expect(second.firstNumber).toBe(first.lastNumber! + 1);
    const numbers = (await h.store.db.select({ number: tickets.number }).from(tickets)).map((r) => r.number);
    expect(new Set(numbers).size).toBe(TICKETS + 50);
  });

  it("adds customers to raise them, with addresses a second run does not reuse", async () => {
    expect(first.customers).toBeGreaterThan(0);
    expect(await customersBefore()).toBe(customerCountBefore + first.customers + second.customers);
  });

  it("spreads the tickets over the last year, numbers in creation order, over customers, channels, priorities, categories and statuses", async () => {
    const rows = await h.store.db.select().from(tickets).orderBy(tickets.number);
    for (const t of rows) {
      expect(t.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(t.createdAt.getTime()).toBeGreaterThan(now.getTime() - 366 * DAY);
      expect(t.updatedAt.getTime()).toBeGreaterThanOrEqual(t.createdAt.getTime());
    }
    const firstRun = rows.filter((t) => t.number <= first.lastNumber!);
    const inOrder = firstRun.every((t, i) => i === 0 || t.createdAt >= firstRun[i - 1]!.createdAt);
    expect(inOrder).toBe(true);
    expect(firstRun[0]!.createdAt.getTime()).toBeLessThan(now.getTime() - 300 * DAY);
    expect(new Set(rows.map((t) => t.customerId)).size).toBeGreaterThan(20);
    expect(new Set(rows.map((t) => t.channel)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((t) => t.priority)).size).toBe(4);
    expect(new Set(rows.map((t) => t.category)).size).toBe(6);
    expect(new Set(rows.map((t) => t.status))).toContain("closed");
    expect(rows.filter((t) => t.status === "closed").length).toBeGreaterThan(TICKETS / 2);
    expect(rows.filter((t) => !FINISHED_STATUSES.includes(t.status)).length).toBeGreaterThan(0);
    expect(rows.every((t) => t.tags.length > 0)).toBe(true);
    for (const t of rows.filter((r) => r.status === "closed")) expect(t.closedAt).not.toBeNull();
  });

  it("gives every ticket a timeline starting with its creation, messages with their events, and some escalations", async () => {
    const [created] = await h.store.db.select({ n: count() }).from(events).where(eq(events.type, "ticket.created"));
    expect(created!.n).toBe(TICKETS + 50);
    const [messageEvents] = await h.store.db.select({ n: count() }).from(events).where(inArray(events.type, ["message.public", "message.internal", "message.customer"]));
    const [messageRows] = await h.store.db.select({ n: count() }).from(messages);
    expect(messageEvents!.n).toBe(messageRows!.n);
    expect(first.messages + second.messages).toBe(messageRows!.n);
    expect(messageRows!.n).toBeGreaterThan(TICKETS);
    const [escalationRows] = await h.store.db.select({ n: count() }).from(escalations);
    expect(escalationRows!.n).toBe(first.escalations + second.escalations);
    expect(escalationRows!.n).toBeGreaterThan(TICKETS / 20);
  });

  it("runs SLA clocks on open tickets only, breached when their time has passed, with breach deadlines for the running ones", async () => {
    const clocks = await h.store.db.select({ clock: slaClocks, status: tickets.status }).from(slaClocks).innerJoin(tickets, eq(tickets.id, slaClocks.ticketId));
    expect(clocks.length).toBe(first.clocks + second.clocks);
    expect(clocks.length).toBeGreaterThan(0);
    for (const { clock, status } of clocks) {
      expect(FINISHED_STATUSES).not.toContain(status);
      expect(clock.policyId).toBe(policyId);
      if (clock.state === "breached") expect(clock.breachedAt!.getTime()).toBeLessThanOrEqual(now.getTime());
      if (clock.state === "running") expect(clock.dueAt!.getTime()).toBeGreaterThan(now.getTime());
      if (clock.state === "paused") expect(["pending", "on_hold"]).toContain(status);
    }
    const open = await h.store.db.select({ id: tickets.id, slaPolicyId: tickets.slaPolicyId, status: tickets.status }).from(tickets);
    for (const t of open.filter((r) => !FINISHED_STATUSES.includes(r.status))) expect(t.slaPolicyId).toBe(policyId);
    const pending = await h.store.db.select().from(deadlines).where(isNull(deadlines.firedAt));
    const running = clocks.filter((c) => c.clock.state === "running");
    expect(pending.length).toBe(running.length);
    expect(new Set(pending.map((d) => d.clockId))).toEqual(new Set(running.map((c) => c.clock.id)));
  });

  it("shows the tickets through the API list, page after page, newest number first", async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.api("GET", `/api/v1/tickets?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token: h.org.agents.admin.token });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.data.map((t: Json) => t.number));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen.length).toBe(TICKETS + 50);
    expect(new Set(seen).size).toBe(TICKETS + 50);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(seen[0]).toBe(second.lastNumber);
  });

  it("opens a seeded ticket with its timeline and messages through the API, and lists a team's tickets for its agent", async () => {
    const [escalated] = await h.store.db.select({ ticketId: escalations.ticketId }).from(escalations).limit(1);
    const [t] = await h.store.db.select().from(tickets).where(eq(tickets.id, escalated!.ticketId));
    const byNumber = await h.api("GET", `/api/v1/tickets/by-number/${t!.number}`, { token: h.org.agents.admin.token });
    expect(byNumber.status, byNumber.text).toBe(200);
    expect(byNumber.body.subject).toBe(t!.subject);
    const timeline = await h.api("GET", `/api/v1/tickets/${t!.id}/events?limit=200`, { token: h.org.agents.admin.token });
    expect(timeline.status, timeline.text).toBe(200);
    expect(timeline.body.data.map((e: Json) => e.type)).toEqual(expect.arrayContaining(["ticket.created", "escalation.created", "ticket.escalated"]));
    const msgs = await h.api("GET", `/api/v1/tickets/${t!.id}/messages`, { token: h.org.agents.admin.token });
    expect(msgs.status, msgs.text).toBe(200);
    expect(msgs.body.data.length).toBeGreaterThan(0);
    const frontline = await h.api("GET", `/api/v1/tickets?teamId=${h.org.teams.frontline.id}&limit=5`, { token: h.org.agents.alice.token });
    expect(frontline.status, frontline.text).toBe(200);
    expect(frontline.body.data).toHaveLength(5);
    expect(frontline.body.data.every((r: Json) => r.teamId === h.org.teams.frontline.id)).toBe(true);
  });

  it("refuses a number of tickets below one and leaves the store as it was", async () => {
    await expect(seedVolume(h.store, { tickets: 0, now })).rejects.toThrow(/at least 1/);
    const [n] = await h.store.db.select({ n: count() }).from(tickets);
    expect(n!.n).toBe(TICKETS + 50);
  });
});
