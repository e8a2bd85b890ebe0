import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { addMessage } from "../commands/add-message.js";
import type { CommandContext } from "../commands/context.js";
import { createTicket } from "../commands/create-ticket.js";
import { updateTicket } from "../commands/update-ticket.js";
import { events, slaClocks, type Ticket } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { FakeClock } from "../domain/clock.js";
import type { SlaPolicy } from "../domain/sla/policy.js";
import type { SlaMetric } from "../domain/vocabulary.js";
import { DeadlineEngine } from "../engine/deadline-engine.js";
import { buildOrganisation, type Organisation } from "../test-support/factories.js";
import { insertOfficeCalendar, insertPolicy } from "../test-support/sla-factories.js";
import { openTestStore } from "../test-support/test-store.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("SLA clocks follow what happens to a ticket", () => {
  let store: Store;
  let org: Organisation;
  const clock = new FakeClock("2026-03-02T09:00:00Z"); // a Monday
  let n = 0;

  beforeAll(async () => {
    store = await openTestStore();
    org = await buildOrganisation(store, clock);
  });

  const agent = (): CommandContext => ({ db: store.db, clock, actor: org.agents.alice.principal });
  const customer = (t: Ticket): CommandContext => ({ db: store.db, clock, actor: { kind: "customer", id: t.customerId } });

  /** A policy for this test alone (matched by a category no other test uses), and a ticket under it. */
  async function ticketUnder(policy: Partial<SlaPolicy>, priority: Ticket["priority"] = "normal"): Promise<Ticket> {
    const category = `case-${++n}`;
    await insertPolicy(store, { targets: STANDARD_TARGETS, ...policy, conditions: { categories: [category] } });
    return createTicket(agent(), {
      subject: "Router keeps rebooting",
      description: "Every hour or so.",
      channel: "email",
      priority,
      category,
      tags: [],
      customer: { email: `c${n}@clocks.test`, name: "C" },
    });
  }
  const clocksOf = (ticketId: string) => store.db.select().from(slaClocks).where(eq(slaClocks.ticketId, ticketId)).orderBy(asc(slaClocks.startedAt), asc(slaClocks.metric));
  const clockOf = async (ticketId: string, metric: SlaMetric, cycle = 1) => {
    const [c] = await store.db.select().from(slaClocks).where(and(eq(slaClocks.ticketId, ticketId), eq(slaClocks.metric, metric), eq(slaClocks.cycle, cycle)));
    return c;
  };
  const engine = () => new DeadlineEngine({ store, clock });

  it("starts first response, resolution and periodic update when a ticket opens", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    const clocks = await clocksOf(t.id);
    expect(clocks.map((c) => [c.metric, c.state]).sort()).toEqual([
      ["first_response", "running"],
      ["periodic_update", "running"],
      ["resolution", "running"],
    ]);
    expect((await clockOf(t.id, "first_response"))!.dueAt!.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    expect((await clockOf(t.id, "resolution"))!.dueAt!.toISOString()).toBe("2026-03-02T17:00:00.000Z");
  });

  it("a public reply meets first response; an internal note does not; periodic update starts again", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    clock.advance(10 * MIN);
    await addMessage(agent(), t.id, { body: "Looking into it (note)", kind: "internal" });
    expect((await clockOf(t.id, "first_response"))!.state).toBe("running");
    clock.advance(10 * MIN);
    await addMessage(agent(), t.id, { body: "Hello, we are on it.", kind: "public" });
    const first = (await clockOf(t.id, "first_response"))!;
    expect(first.state).toBe("met");
    expect(first.stoppedAt!.toISOString()).toBe("2026-03-02T09:20:00.000Z");
    expect(first.elapsedMs).toBe(20 * MIN);
    expect((await clockOf(t.id, "resolution"))!.state).toBe("running");
    expect((await clockOf(t.id, "periodic_update", 1))!.state).toBe("met");
    expect((await clockOf(t.id, "periodic_update", 2))!.dueAt!.toISOString()).toBe("2026-03-03T09:20:00.000Z");
  });

  it("a customer message starts next response only once first response is met, and each reply meets it", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    await addMessage(customer(t), t.id, { body: "Any news?" });
    // First response is still owed: the follow-up does not start (or override) anything.
    expect((await clocksOf(t.id)).filter((c) => c.metric === "next_response")).toHaveLength(0);
    expect((await clockOf(t.id, "first_response"))!.dueAt!.toISOString()).toBe("2026-03-02T10:00:00.000Z");

    clock.advance(30 * MIN);
    await addMessage(agent(), t.id, { body: "Please restart it.", kind: "public" });
    clock.advance(60 * MIN);
    await addMessage(customer(t), t.id, { body: "Restarted, still broken." });
    const next1 = (await clockOf(t.id, "next_response", 1))!;
    expect(next1.state).toBe("running");
    expect(next1.dueAt!.toISOString()).toBe("2026-03-02T12:30:00.000Z");
    clock.advance(15 * MIN);
    await addMessage(agent(), t.id, { body: "Sending a replacement.", kind: "public" });
    expect((await clockOf(t.id, "next_response", 1))!.state).toBe("met");
    await addMessage(customer(t), t.id, { body: "Thanks!" });
    expect((await clockOf(t.id, "next_response", 2))!.state).toBe("running");
  });

  it("pending pauses the clocks and open resumes them with the paused time added", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    clock.advance(30 * MIN);
    await updateTicket(agent(), t.id, { status: "pending" });
    const paused = (await clockOf(t.id, "first_response"))!;
    expect(paused).toMatchObject({ state: "paused", dueAt: null, runningSince: null, elapsedMs: 30 * MIN });
    clock.advance(5 * HOUR);
    await updateTicket(agent(), t.id, { status: "open" });
    const resumed = (await clockOf(t.id, "first_response"))!;
    expect(resumed.state).toBe("running");
    expect(resumed.dueAt!.toISOString()).toBe("2026-03-02T15:00:00.000Z"); // 10:00 + 5 h of pause
    expect(resumed.pauses).toEqual([{ from: "2026-03-02T09:30:00.000Z", to: "2026-03-02T14:30:00.000Z" }]);
  });

  it("uses the policy's own pause statuses", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({ pauseStatuses: ["on_hold"] });
    await updateTicket(agent(), t.id, { status: "pending" });
    expect((await clockOf(t.id, "resolution"))!.state).toBe("running");
    await updateTicket(agent(), t.id, { status: "on_hold" });
    expect((await clockOf(t.id, "resolution"))!.state).toBe("paused");
  });

  it("resolving stops every clock; a customer writing again reopens and restarts resolution", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    await addMessage(agent(), t.id, { body: "Fixed on our side.", kind: "public" });
    clock.advance(2 * HOUR);
    await updateTicket(agent(), t.id, { status: "resolved" });
    const all = await clocksOf(t.id);
    expect(all.every((c) => c.stoppedAt !== null)).toBe(true);
    expect((await clockOf(t.id, "resolution"))!).toMatchObject({ state: "met", elapsedMs: 2 * HOUR });

    clock.advance(HOUR);
    await addMessage(customer(t), t.id, { body: "It broke again." });
    const again = (await clockOf(t.id, "resolution", 2))!;
    expect(again.state).toBe("running");
    expect(again.dueAt!.toISOString()).toBe("2026-03-02T20:00:00.000Z");
    expect((await clockOf(t.id, "next_response", 1))!.state).toBe("running");
  });

  it("resolving with no public reply cancels first response and periodic update (not met), and says so", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    clock.advance(10 * MIN);
    await updateTicket(agent(), t.id, { status: "resolved" });
    expect((await clockOf(t.id, "first_response"))!.state).toBe("cancelled");
    expect((await clockOf(t.id, "periodic_update"))!.state).toBe("cancelled");
    expect((await clockOf(t.id, "resolution"))!.state).toBe("met");
    const types = (await store.db.select().from(events).where(eq(events.ticketId, t.id))).map((e) => e.type);
    expect(types.filter((x) => x === "sla.cancelled")).toHaveLength(2);
    expect(types.filter((x) => x === "sla.met")).toHaveLength(1);
  });

  it("counts the resolution as the response when the policy says so", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({ resolutionCountsAsResponse: true });
    clock.advance(10 * MIN);
    await updateTicket(agent(), t.id, { status: "resolved" });
    expect((await clockOf(t.id, "first_response"))!.state).toBe("met");
    expect((await clockOf(t.id, "resolution"))!.state).toBe("met");
  });

  it("a priority change moves the due time to the new target, counting time already used", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    clock.advance(10 * MIN);
    await updateTicket(agent(), t.id, { priority: "urgent" });
    const c = (await clockOf(t.id, "first_response"))!;
    expect(c.targetMs).toBe(15 * MIN);
    expect(c.dueAt!.toISOString()).toBe("2026-03-02T09:15:00.000Z");
  });

  it("counts business hours: a Friday 16:30 ticket with a one-hour target is due Monday 09:30", async () => {
    const calendarId = await insertOfficeCalendar(store);
    clock.set("2026-03-06T16:30:00Z"); // Friday
    const t = await ticketUnder({ calendarId });
    expect((await clockOf(t.id, "first_response"))!.dueAt!.toISOString()).toBe("2026-03-09T09:30:00.000Z");
  });

  it("breaches at the due time, and a late reply stops the clock but keeps it breached", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    clock.set("2026-03-02T09:59:59Z");
    await engine().drainDue();
    expect((await clockOf(t.id, "first_response"))!.state).toBe("running");
    clock.set("2026-03-02T10:00:00Z");
    await engine().drainDue();
    const breached = (await clockOf(t.id, "first_response"))!;
    expect(breached.state).toBe("breached");
    expect(breached.breachedAt!.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    clock.advance(20 * MIN);
    await addMessage(agent(), t.id, { body: "Sorry for the wait.", kind: "public" });
    const stopped = (await clockOf(t.id, "first_response"))!;
    expect(stopped.state).toBe("breached");
    expect(stopped.stoppedAt!.toISOString()).toBe("2026-03-02T10:20:00.000Z");
    const breaches = await store.db.select().from(events).where(and(eq(events.ticketId, t.id), eq(events.type, "sla.breached")));
    expect(breaches).toHaveLength(1);
  });

  it("a paused clock does not breach", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({});
    await updateTicket(agent(), t.id, { status: "on_hold" });
    clock.set("2026-03-03T09:00:00Z");
    await engine().drainDue();
    expect((await clockOf(t.id, "first_response"))!.state).toBe("paused");
  });
});

const STANDARD_TARGETS: SlaPolicy["targets"] = {
  first_response: { normal: "PT1H", urgent: "PT15M", low: "PT4H", high: "PT30M" },
  next_response: { normal: "PT2H", urgent: "PT30M" },
  periodic_update: { normal: "PT24H" },
  resolution: { normal: "PT8H", urgent: "PT4H" },
};
