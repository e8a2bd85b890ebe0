import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommandContext } from "../commands/context.js";
import { createRule } from "../commands/create-rule.js";
import { createTicket } from "../commands/create-ticket.js";
import { deEscalateTicket } from "../commands/de-escalate-ticket.js";
import { escalateTicket } from "../commands/escalate-ticket.js";
import { updateTicket } from "../commands/update-ticket.js";
import { events, slaClocks, tickets } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { FakeClock } from "../domain/clock.js";
import type { SlaMetric } from "../domain/vocabulary.js";
import type { CreateTicketInput } from "../schemas/ticket.schemas.js";
import { buildOrganisation, type Organisation } from "../test-support/factories.js";
import { insertPolicy } from "../test-support/sla-factories.js";
import { openTestStore } from "../test-support/test-store.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The SLA policy is matched on the ticket as the escalation matrix routed it, and matched again (keeping the
 * working time already used) whenever team, priority or category changes.
 */
describe("the SLA policy follows the ticket as routed and changed", () => {
  let store: Store;
  let org: Organisation;
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const ids = { tech: "", network: "", base: "" };

  beforeAll(async () => {
    store = await openTestStore();
    org = await buildOrganisation(store, clock);
    ids.tech = await insertPolicy(store, {
      name: "Technical",
      position: 10,
      conditions: { teamIds: [org.teams.technical.id] },
      targets: { first_response: { normal: "PT3H", urgent: "PT1H" }, resolution: { normal: "PT8H", urgent: "PT4H" } },
    });
    ids.network = await insertPolicy(store, { name: "Network", position: 20, conditions: { categories: ["network"] }, targets: { first_response: { normal: "PT2H" } } });
    ids.base = await insertPolicy(store, {
      name: "Base",
      position: 100,
      targets: { first_response: { normal: "PT4H", urgent: "PT2H" }, resolution: { normal: "PT24H", urgent: "PT12H" } },
    });
    await createRule(admin(), {
      name: "VIP routers to Technical",
      position: 10,
      active: true,
      triggers: ["ticket.created"],
      match: "all",
      stopProcessing: false,
      oncePerTicket: true,
      conditions: [
        { field: "category", op: "in", value: ["router"] },
        { field: "customerTier", op: "in", value: ["vip"] },
      ],
      actions: [{ type: "route", teamId: org.teams.technical.id, assign: false }],
    });
  });

  const admin = (): CommandContext => ({ db: store.db, clock, actor: org.agents.admin.principal });
  const agent = (): CommandContext => ({ db: store.db, clock, actor: org.agents.alice.principal });
  const open = (fields: Partial<CreateTicketInput>) =>
    createTicket(agent(), { subject: "Router keeps rebooting", description: "Every hour or so.", channel: "email", priority: "normal", tags: [], ...fields });
  const clockOf = async (ticketId: string, metric: SlaMetric) =>
    (await store.db.select().from(slaClocks).where(and(eq(slaClocks.ticketId, ticketId), eq(slaClocks.metric, metric))).orderBy(asc(slaClocks.cycle)))[0]!;
  const policyOf = async (ticketId: string) => (await store.db.select({ id: tickets.slaPolicyId }).from(tickets).where(eq(tickets.id, ticketId)))[0]!.id;
  const rematches = async (ticketId: string) =>
    (await store.db.select().from(events).where(and(eq(events.ticketId, ticketId), eq(events.type, "sla.rematched")))).map((e) => e.data);

  it("a rule routing a VIP ticket to Technical at creation puts it under the Technical policy at once", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "router", customerId: org.customers.carol.id });
    expect(t.teamId).toBe(org.teams.technical.id);
    expect(t.slaPolicyId).toBe(ids.tech);
    expect(await policyOf(t.id)).toBe(ids.tech);
    const fr = await clockOf(t.id, "first_response");
    expect(fr).toMatchObject({ policyId: ids.tech, targetMs: 3 * HOUR, state: "running" });
    expect(fr.dueAt?.toISOString()).toBe("2026-03-02T12:00:00.000Z");
    expect((await clockOf(t.id, "resolution")).dueAt?.toISOString()).toBe("2026-03-02T17:00:00.000Z");
    expect(await rematches(t.id)).toEqual([{ policyId: { from: ids.base, to: ids.tech } }]);
  });

  it("a ticket the rule does not route (not VIP) keeps the base policy", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "router", customer: { email: "dave@customer.test", name: "Dave" } });
    expect(t.teamId).toBe(org.teams.frontline.id);
    expect(t.slaPolicyId).toBe(ids.base);
    expect(await clockOf(t.id, "first_response")).toMatchObject({ policyId: ids.base, targetMs: 4 * HOUR });
    expect(await rematches(t.id)).toEqual([]);
  });

  it("a category change re-matches, keeping the working time already used", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "printer", customer: { email: "erin@customer.test", name: "Erin" } });
    expect(t.slaPolicyId).toBe(ids.base);
    clock.set("2026-03-02T09:30:00Z");
    await updateTicket(agent(), t.id, { category: "network" });
    expect(await policyOf(t.id)).toBe(ids.network);
    const fr = await clockOf(t.id, "first_response");
    // 2 h target, 30 min already used: due 1 h 30 min from now.
    expect(fr).toMatchObject({ policyId: ids.network, targetMs: 2 * HOUR, elapsedMs: 30 * MIN, state: "running" });
    expect(fr.dueAt?.toISOString()).toBe("2026-03-02T11:00:00.000Z");
    // The Network policy sets no resolution target: that clock is cancelled.
    expect((await clockOf(t.id, "resolution")).state).toBe("cancelled");
    expect(await rematches(t.id)).toEqual([{ policyId: { from: ids.base, to: ids.network } }]);
  });

  it("an escalation moving the ticket to Technical re-matches, keeping the working time already used", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "printer", customer: { email: "fay@customer.test", name: "Fay" } });
    clock.set("2026-03-02T10:00:00Z");
    await escalateTicket(agent(), t.id, { kind: "functional", toTeamId: org.teams.technical.id, reason: "needs_expertise", note: "Firmware issue, needs Technical." });
    expect(await policyOf(t.id)).toBe(ids.tech);
    const fr = await clockOf(t.id, "first_response");
    expect(fr).toMatchObject({ policyId: ids.tech, targetMs: 3 * HOUR, elapsedMs: HOUR });
    expect(fr.dueAt?.toISOString()).toBe("2026-03-02T12:00:00.000Z");
    const res = await clockOf(t.id, "resolution");
    expect(res).toMatchObject({ policyId: ids.tech, targetMs: 8 * HOUR, elapsedMs: HOUR });
    expect(res.dueAt?.toISOString()).toBe("2026-03-02T17:00:00.000Z");
  });

  it("a de-escalation handing the ticket back from Technical re-matches the base policy", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "printer", customer: { email: "ida@customer.test", name: "Ida" } });
    clock.set("2026-03-02T09:30:00Z");
    await escalateTicket(agent(), t.id, { kind: "functional", toTeamId: org.teams.technical.id, reason: "needs_expertise", note: "Firmware issue, needs Technical." });
    expect(await policyOf(t.id)).toBe(ids.tech);
    clock.set("2026-03-02T10:00:00Z");
    const tina: CommandContext = { db: store.db, clock, actor: org.agents.tina.principal };
    await deEscalateTicket(tina, t.id, { note: "Firmware updated; back to Frontline." });
    expect(await policyOf(t.id)).toBe(ids.base);
    const fr = await clockOf(t.id, "first_response");
    expect(fr).toMatchObject({ policyId: ids.base, targetMs: 4 * HOUR, elapsedMs: HOUR });
    expect(fr.dueAt?.toISOString()).toBe("2026-03-02T13:00:00.000Z");
    expect(await rematches(t.id)).toEqual([{ policyId: { from: ids.base, to: ids.tech } }, { policyId: { from: ids.tech, to: ids.base } }]);
  });

  it("a priority change that changes the policy moves the clocks to the new policy's target for that priority", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "network", customer: { email: "gus@customer.test", name: "Gus" } });
    expect(t.slaPolicyId).toBe(ids.network);
    clock.set("2026-03-02T09:15:00Z");
    // Out of the Network category and urgent: the Base policy's urgent target, counting the 15 min used.
    await updateTicket(agent(), t.id, { priority: "urgent", category: "printer" });
    expect(await policyOf(t.id)).toBe(ids.base);
    const fr = await clockOf(t.id, "first_response");
    expect(fr).toMatchObject({ policyId: ids.base, targetMs: 2 * HOUR, elapsedMs: 15 * MIN });
    expect(fr.dueAt?.toISOString()).toBe("2026-03-02T11:00:00.000Z");
  });

  it("a change that keeps the policy leaves the clocks untouched", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await open({ category: "printer", customer: { email: "hal@customer.test", name: "Hal" } });
    const before = await store.db.select().from(slaClocks).where(eq(slaClocks.ticketId, t.id)).orderBy(asc(slaClocks.metric));
    clock.set("2026-03-02T09:45:00Z");
    await updateTicket(agent(), t.id, { category: "paper jam" });
    expect(await policyOf(t.id)).toBe(ids.base);
    expect(await store.db.select().from(slaClocks).where(eq(slaClocks.ticketId, t.id)).orderBy(asc(slaClocks.metric))).toEqual(before);
    expect(await rematches(t.id)).toEqual([]);
  });
});
