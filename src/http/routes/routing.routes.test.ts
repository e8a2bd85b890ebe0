import { and, desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outbox } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer, type Caller } from "../../test-support/ticket-api.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";

describe("routing to the most suitable agent", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const { teams } = h.org;

  /** A new member of the Billing team who can sign in; returns their id and a caller. */
  async function billingAgent(name: string, body: Record<string, unknown> = {}): Promise<{ id: string; caller: Caller }> {
    const email = `${name.toLowerCase()}@routing.test`;
    const res = await t.send(as.admin, "POST", "/agents", { email, name, role: "agent", teamIds: [teams.billing.id], password: TEST_PASSWORD, ...body });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id, caller: await t.signIn(email) };
  }
  /** A ticket sitting, unassigned, with Billing. */
  async function billingTicket(extra: Record<string, unknown> = {}) {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), ...extra });
    await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id });
    return ticket;
  }

  // Bob (in the org already) has no skills; Ana and Cy have the billing skill.
  const ana = await billingAgent("Ana", { skills: ["billing"] });
  const cy = await billingAgent("Cy", { skills: ["billing"] });

  it("picks a skilled agent with the lowest load and says why, taking turns among equals", async () => {
    const first = await billingTicket({ category: "billing" });
    const one = await t.send(as.admin, "POST", `/tickets/${first.id}/auto-assign`, {});
    expect(one.status, one.text).toBe(200);
    expect([ana.id, cy.id]).toContain(one.body.routing.agentId);
    expect(one.body.routing.why).toMatch(/^(Ana|Cy): skill billing, load 0\/10$/);
    expect(one.body.ticket.assigneeId).toBe(one.body.routing.agentId);

    const second = await billingTicket({ category: "billing" });
    const two = await t.send(as.admin, "POST", `/tickets/${second.id}/auto-assign`, {});
    expect(two.body.routing.agentId).not.toBe(one.body.routing.agentId); // the other one has less load
    const timeline = await t.timeline(second.id);
    expect(timeline.at(-1)).toMatchObject({ type: "ticket.assigned", data: { why: two.body.routing.why } });
    // The new assignee hears of it as of any assignment: an outbox row for mail and webhooks.
    const [queued] = await h.store.db
      .select({ payload: outbox.payload })
      .from(outbox)
      .where(and(eq(outbox.topic, "ticket.updated"), sql`${outbox.payload}->>'ticketId' = ${second.id}`))
      .orderBy(desc(outbox.id))
      .limit(1);
    expect(queued?.payload).toEqual({ ticketId: second.id, changes: { assigneeId: { from: null, to: two.body.routing.agentId } } });
  });

  it("leaves out agents who are away", async () => {
    const away = await t.send(ana.caller, "PUT", "/agents/me/availability", { availability: "away" });
    expect(away.status, away.text).toBe(200);
    try {
      for (let i = 0; i < 2; i++) {
        const ticket = await billingTicket({ category: "billing" });
        const res = await t.send(as.admin, "POST", `/tickets/${ticket.id}/auto-assign`, {});
        expect(res.body.routing.agentId).toBe(cy.id);
      }
    } finally {
      await t.send(ana.caller, "PUT", "/agents/me/availability", { availability: "online" });
    }
  });

  it("routes only to agents within their working hours", async () => {
    // The harness clock reads Monday 09:00 UTC: Ana works evenings, Cy works days.
    const calendar = async (name: string, span: [string, string]) => {
      const res = await t.send(as.admin, "POST", "/calendars", { name, timezone: "UTC", hours: { mon: [span], tue: [span] } });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    const evenings = await calendar("Evenings", ["18:00", "23:00"]);
    const days = await calendar("Days", ["08:00", "17:00"]);
    const setHours = (agentId: string, calendarId: string | null, who: Caller = as.admin) =>
      t.send(who, "PUT", `/agents/${agentId}/working-hours`, { calendarId });
    expect((await setHours(ana.id, evenings)).body.calendarId).toBe(evenings);
    expect((await setHours(cy.id, days)).status).toBe(200);
    try {
      for (let i = 0; i < 2; i++) {
        const ticket = await billingTicket({ category: "billing" });
        const res = await t.send(as.admin, "POST", `/tickets/${ticket.id}/auto-assign`, {});
        expect(res.body.routing.agentId).toBe(cy.id);
      }
      await expectProblem(await setHours(ana.id, "00000000-0000-4000-8000-000000000000"), 404, "calendar_not_found");
      await expectProblem(await setHours(ana.id, null, ana.caller), 403, "forbidden");
    } finally {
      await setHours(ana.id, null);
      await setHours(cy.id, null);
    }
  });

  it("says so when nobody can take the ticket, and refuses customers and bad availability", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.technical.id });
    await t.send({ token: h.org.agents.tina.token }, "PUT", "/agents/me/availability", { availability: "offline" });
    const res = await t.send(as.admin, "POST", `/tickets/${ticket.id}/auto-assign`, {});
    expect(res.body.routing).toEqual({ agentId: null, why: "nobody in the team is online" });
    expect((await t.timeline(ticket.id)).at(-1)).toMatchObject({ type: "ticket.not_assigned" });
    const customer = await t.signIn(h.org.customers.carol.email);
    expectProblem(await t.send(customer, "PUT", "/agents/me/availability", { availability: "online" }), 403, "forbidden");
    expectProblem(await t.send(as.bob, "PUT", "/agents/me/availability", { availability: "asleep" }), 400, "validation_failed");
  });

  it("assigns through a rule that routes with `assign`", async () => {
    const rule = await t.send(as.admin, "POST", "/escalation-rules", {
      name: "Invoices to billing, assigned",
      conditions: [{ field: "tags", op: "has_any", value: ["invoice-route"] }],
      actions: [{ type: "route", teamId: teams.billing.id, assign: true }],
    });
    expect(rule.status, rule.text).toBe(201);
    const ticket = await t.openTicket({ customer: uniqueCustomer(), category: "billing", tags: ["invoice-route"] });
    expect(ticket.teamId).toBe(teams.billing.id);
    expect([ana.id, cy.id]).toContain(ticket.assigneeId);
    const fired = (await t.timeline(ticket.id)).find((e) => e.type === "rule.fired");
    expect(fired.data.actions[0].assigned).toMatch(/skill billing/);
  });
});
