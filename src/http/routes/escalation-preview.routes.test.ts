import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/raw.js";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { HANDOVER, ticketApi } from "../../test-support/ticket-api.js";

const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("POST /tickets/{id}/escalations/preview", async () => {
  const h = await startHarness();
  const { agents, teams, levels } = h.org;
  const { as, send, openTicket, escalate, patch, ticket, timeline, escalations, signIn } = ticketApi(h);
  const carol = await signIn("carol@customer.test");
  // Billing tickets get their own policy with an acknowledgement timeout and a warning step: the preview must show both.
  const billingPolicyId = await insertPolicy(h.store, {
    name: "Billing desk",
    position: 1,
    conditions: { teamIds: [teams.billing.id] },
    targets: { first_response: { normal: "PT4H" }, resolution: { normal: "PT24H" } },
    steps: [{ type: "warning", metric: "resolution", atPercent: 50 }],
    ackTimeout: "PT1H",
  });

  const preview = (ticketId: string, body: Record<string, unknown>, who: Json = as.alice) =>
    send(who, "POST", `/tickets/${ticketId}/escalations/preview`, { reason: "needs_expertise", note: HANDOVER, ...body });

  /** Every row an escalation writes about a ticket, plus the outbox, to prove that a preview wrote none of them. */
  const writesOf = async (ticketId: string) => {
    const [row] = await queryRows<Record<string, number>>(
      h.store.db,
      sql`select (select count(*)::int from escalations where ticket_id = ${ticketId}) as escalations,
                 (select count(*)::int from events where ticket_id = ${ticketId}) as events,
                 (select count(*)::int from deadlines where ticket_id = ${ticketId}) as deadlines,
                 (select count(*)::int from sla_clocks where ticket_id = ${ticketId}) as clocks,
                 (select count(*)::int from outbox) as outbox`,
    );
    return { ...row, ticket: await ticket(ticketId) };
  };
  const pendingTimers = async (ticketId: string) =>
    (
      await queryRows<{ step_key: string; due_at: string | Date }>(
        h.store.db,
        sql`select step_key, due_at from deadlines where ticket_id = ${ticketId} and fired_at is null order by due_at, step_key`,
      )
    ).map((d) => ({ stepKey: d.step_key, dueAt: new Date(d.due_at).toISOString() }));
  const liveClocks = async (ticketId: string) => {
    const res = await send(as.admin, "GET", `/tickets/${ticketId}/clocks`);
    expect(res.status, res.text).toBe(200);
    return res.body.data.filter((c: Json) => c.stoppedAt === null).map((c: Json) => ({ metric: c.metric, state: c.state, targetMs: c.targetMs, dueAt: c.dueAt }));
  };

  it("shows where a functional escalation goes, the SLA policy, clocks and timers that follow, writes nothing, and matches what the escalation then does", async () => {
    const t = await openTicket();
    await patch(t.id, { assigneeId: agents.alice.id });
    const before = await writesOf(t.id);

    const res = await preview(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
    expect(res.status, res.text).toBe(200);
    const p = res.body;
    expect(p).toMatchObject({
      kind: "functional",
      reason: "needs_expertise",
      from: { level: { id: levels.l1.id, name: "L1" }, team: { id: teams.frontline.id }, agent: { id: agents.alice.id } },
      to: { level: { id: levels.l2.id }, team: { id: teams.billing.id }, agent: { id: agents.bob.id } },
      why: null,
      supersedesEscalationId: null,
      status: { from: "new", to: "open" },
      slaPolicy: { from: null, to: { id: billingPolicyId, name: "Billing desk" } },
      rulesFired: [],
    });
    expect(p.clocks.map((c: Json) => c.metric).sort()).toEqual(["first_response", "resolution"]);
    expect(p.timers.map((x: Json) => x.type)).toEqual(expect.arrayContaining(["ack", "warning", "breach"]));
    expect(p.timers.every((x: Json) => x.isNew)).toBe(true);
    expect(p.events).toEqual(expect.arrayContaining(["escalation.created", "ticket.escalated"]));
    expect(await writesOf(t.id)).toEqual(before);

    // The real escalation at the same moment does exactly what the preview said.
    await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
    expect(await ticket(t.id)).toMatchObject({ levelId: p.to.level.id, teamId: p.to.team.id, assigneeId: agents.bob.id, status: p.status.to });
    expect(await liveClocks(t.id)).toEqual(expect.arrayContaining(p.clocks));
    expect((await liveClocks(t.id)).length).toBe(p.clocks.length);
    expect(await pendingTimers(t.id)).toEqual(p.timers.map((x: Json) => ({ stepKey: x.stepKey, dueAt: x.dueAt })));
    const appended = (await timeline(t.id)).slice(-p.events.length).map((e: Json) => e.type);
    expect(appended).toEqual(p.events);
  });

  it("names the next-level team and why it was chosen, and the escalation it would close, for a hierarchical escalation without a team", async () => {
    const t = await openTicket();
    const first = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
    const before = await writesOf(t.id);
    const res = await preview(t.id, { kind: "hierarchical", reason: "complaint" }, as.bob);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      kind: "hierarchical",
      from: { level: { id: levels.l2.id }, team: { id: teams.billing.id }, agent: null },
      to: { level: { id: levels.l3.id }, team: { id: teams.management.id }, agent: null },
      supersedesEscalationId: first.id,
      slaPolicy: { from: { id: billingPolicyId }, to: null },
      clocks: [],
    });
    expect(res.body.why).toMatch(/L3/);
    expect(await writesOf(t.id)).toEqual(before);
    expect((await escalations(t.id)).map((e: Json) => e.status)).toEqual(["open"]);

    const real = await escalate(t.id, { kind: "hierarchical", reason: "complaint" }, as.bob);
    expect(real).toMatchObject({ toTeamId: res.body.to.team.id, toLevelId: res.body.to.level.id });
    expect((await timeline(t.id)).find((e: Json) => e.type === "escalation.created" && e.data.escalationId === real.id).data.why).toBe(res.body.why);
  });

  it("refuses exactly as the escalation would, writing nothing: a non-specialist target (422), unknown team (404), too short a note (400), a finished ticket (409)", async () => {
    const t = await openTicket();
    const before = await writesOf(t.id);
    expectProblem(await preview(t.id, { kind: "functional", toTeamId: teams.management.id }), 422, "escalation_target_invalid");
    expectProblem(await preview(t.id, { kind: "functional", toTeamId: UNKNOWN_ID }), 404, "team_not_found");
    const short = await preview(t.id, { kind: "hierarchical", note: "help" });
    expectProblem(short, 400, "validation_failed");
    expect(short.body.errors.map((e: Json) => e.path)).toEqual(["body.note"]);
    expectProblem(await preview(UNKNOWN_ID, { kind: "hierarchical" }), 404, "ticket_not_found");
    expect(await writesOf(t.id)).toEqual(before);

    await patch(t.id, { status: "resolved" });
    expectProblem(await preview(t.id, { kind: "hierarchical" }), 409, "ticket_not_escalatable");
  });

  it("is allowed to whoever may escalate: refused to customers (403) and to agents who cannot see the ticket (404)", async () => {
    const t = await openTicket({}, carol);
    const before = await writesOf(t.id);
    expectProblem(await preview(t.id, { kind: "hierarchical", note: "I want to speak to a manager please." }, carol), 403, "forbidden");
    expectProblem(await preview(t.id, { kind: "hierarchical" }, as.tina), 404, "ticket_not_found");
    expect((await preview(t.id, { kind: "hierarchical" }, as.lena)).status).toBe(200);
    expect(await writesOf(t.id)).toEqual(before);
  });
});
