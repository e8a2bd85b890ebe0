import { describe, expect, it } from "vitest";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { startHarness } from "../../test-support/harness.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer, type Caller } from "../../test-support/ticket-api.js";

const MINUTE = 60_000;
// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("GET /board", async () => {
  const h = await startHarness();
  const { agents, teams, levels } = h.org;
  const { as, send, openTicket, escalate, patch, signIn } = ticketApi(h);
  const board = async (who: Caller, query = ""): Promise<Json> => {
    const res = await send(who, "GET", `/board${query}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const countOf = (rows: { teamId: string; count: number }[], teamId: string) => rows.find((r) => r.teamId === teamId)?.count ?? 0;
  const drainDeadlines = () => new DeadlineEngine({ store: h.store, clock: h.clock }).drainDue();
  /** A policy of its own, matched by a category no other test uses, with a 30-minute first response. */
  async function ticketDueIn30Minutes(): Promise<Json> {
    const category = `board-${Math.random().toString(36).slice(2, 8)}`;
    await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { first_response: { normal: "PT30M" } } });
    return openTicket({ customer: uniqueCustomer(), category });
  }

  it("refuses agents and customers, and asks who is calling", async () => {
    expectProblem(await send(as.alice, "GET", "/board"), 403, "forbidden");
    expectProblem(await send(as.bob, "GET", "/board"), 403, "forbidden");
    expectProblem(await send(await signIn("carol@customer.test"), "GET", "/board"), 403, "forbidden");
    expectProblem(await send(undefined, "GET", "/board"), 401, "unauthenticated");
  });

  it("refuses a zone it does not know and parameters it does not take", async () => {
    expectInvalid(await send(as.mark, "GET", "/board?tz=Mars/Olympus"), ["querystring.tz"]);
    expectInvalid(await send(as.mark, "GET", `/board?teamId=${teams.billing.id}`), ["querystring.teamId"]);
  });

  it("shows managers and admins every team, and a lead only the teams they belong to", async () => {
    for (const who of [as.mark, as.admin]) {
      const b = await board(who);
      expect(b.allTeams).toBe(true);
      expect(b.teams.map((t: Json) => t.name)).toEqual(["Frontline", "Billing", "Technical", "Management"]);
      expect(b.levels.map((l: Json) => l.name)).toEqual(["L1", "L2", "L3"]);
    }
    const lena = await board(as.lena);
    expect(lena.allTeams).toBe(false);
    expect(lena.teams).toEqual([{ id: teams.frontline.id, name: "Frontline", levelId: levels.l1.id }]);
    expect(lena.levels.map((l: Json) => l.name)).toEqual(["L1"]);
    expect(lena.queues.map((q: Json) => q.teamId)).toEqual([teams.frontline.id]);
  });

  it("lists an open escalation as unacknowledged with its request time until its team acknowledges it", async () => {
    const before = await board(as.mark);
    const t = await openTicket({ customer: uniqueCustomer() });
    h.clock.advance(MINUTE);
    const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
    const after = await board(as.mark);
    expect(after.escalations.items).toContainEqual({
      id: e.id,
      ticketId: t.id,
      ticketNumber: t.number,
      subject: t.subject,
      priority: t.priority,
      kind: "functional",
      status: "open",
      toLevelId: levels.l2.id,
      toTeamId: teams.billing.id,
      requestedAt: h.clock.now().toISOString(),
      acknowledgedAt: null,
    });
    expect(after.escalations.unacknowledged).toBe(before.escalations.unacknowledged + 1);
    const billingRow = after.escalations.byTeam.find((r: Json) => r.teamId === teams.billing.id);
    expect(billingRow).toMatchObject({ levelId: levels.l2.id });
    // Lena leads Frontline: the escalation went to Billing, which is not hers.
    const lena = await board(as.lena);
    expect(lena.escalations.items.map((i: Json) => i.id)).not.toContain(e.id);
    expect(lena.escalations.byTeam.map((r: Json) => r.teamId)).not.toContain(teams.billing.id);

    h.clock.advance(5 * MINUTE);
    expect((await send(as.bob, "POST", `/escalations/${e.id}/acknowledge`)).status).toBe(200);
    const acked = await board(as.mark);
    const item = acked.escalations.items.find((i: Json) => i.id === e.id);
    expect(item).toMatchObject({ status: "acknowledged", acknowledgedAt: h.clock.now().toISOString() });
    expect(acked.escalations.unacknowledged).toBe(before.escalations.unacknowledged);
    expect(acked.escalations.total).toBe(before.escalations.total + 1);
    // Unacknowledged ones come first.
    const statuses = acked.escalations.items.map((i: Json) => i.status);
    expect(statuses).toEqual([...statuses].sort((a: string, b: string) => (a === b ? 0 : a === "open" ? -1 : 1)));
  });

  it("counts a target due within the hour, and once breached, among today's breaches by team", async () => {
    const t = await ticketDueIn30Minutes();
    expect(t.teamId).toBe(teams.frontline.id);
    const due = new Date(h.clock.now().getTime() + 30 * MINUTE).toISOString();
    const soon = await board(as.lena);
    expect(soon.breachingSoon.horizonMinutes).toBe(60);
    expect(soon.breachingSoon.items).toContainEqual(
      expect.objectContaining({ ticketId: t.id, ticketNumber: t.number, subject: t.subject, teamId: teams.frontline.id, metric: "first_response", dueAt: due }),
    );
    expect(soon.breachesToday.items.map((i: Json) => i.ticketId)).not.toContain(t.id);
    const soonCount = countOf(soon.breachingSoon.byTeam, teams.frontline.id);
    const breachCount = countOf(soon.breachesToday.byTeam, teams.frontline.id);
    expect(soon.breachingSoon.total).toBeGreaterThanOrEqual(soonCount);

    h.clock.advance(31 * MINUTE);
    expect(await drainDeadlines()).toBeGreaterThan(0);
    const breached = await board(as.lena);
    expect(breached.breachingSoon.items.map((i: Json) => i.ticketId)).not.toContain(t.id);
    expect(countOf(breached.breachingSoon.byTeam, teams.frontline.id)).toBe(soonCount - 1);
    expect(breached.breachesToday.items[0]).toMatchObject({ ticketId: t.id, ticketNumber: t.number, subject: t.subject, metric: "first_response", breachedAt: due });
    expect(countOf(breached.breachesToday.byTeam, teams.frontline.id)).toBe(breachCount + 1);
    expect((await board(as.mark)).breachesToday.items.map((i: Json) => i.ticketId)).toContain(t.id);

    // "Today" starts at midnight where the viewer is: at 00:31 in Kiritimati (UTC+14) the 23:31 breach was yesterday.
    h.clock.advance(60 * MINUTE);
    const utc = await board(as.lena, "?tz=UTC");
    expect(utc.breachesToday.items.map((i: Json) => i.ticketId)).toContain(t.id);
    const kiritimati = await board(as.lena, "?tz=Pacific/Kiritimati");
    expect(kiritimati.timeZone).toBe("Pacific/Kiritimati");
    expect(kiritimati.since).toBe("2026-03-02T10:00:00.000Z");
    expect(kiritimati.breachesToday.items.map((i: Json) => i.ticketId)).not.toContain(t.id);
  });

  it("keeps another team's due targets off a lead's board", async () => {
    const t = await ticketDueIn30Minutes();
    await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
    expect((await board(as.lena)).breachingSoon.items.map((i: Json) => i.ticketId)).not.toContain(t.id);
    expect((await board(as.mark)).breachingSoon.items).toContainEqual(expect.objectContaining({ ticketId: t.id, teamId: teams.billing.id }));
  });

  it("shows queue depth per team and each agent's load against capacity with their availability", async () => {
    const frontlineQueue = async () => (await board(as.lena)).queues.find((q: Json) => q.teamId === teams.frontline.id);
    const aliceOf = async (who: Caller) => (await board(who)).agents.items.find((a: Json) => a.id === agents.alice.id);
    const t = await openTicket({ customer: uniqueCustomer() });
    await patch(t.id, { assigneeId: null });
    const before = await frontlineQueue();
    const aliceBefore = await aliceOf(as.lena);
    expect(before.unassigned).toBeGreaterThanOrEqual(1);

    const res = await patch(t.id, { assigneeId: agents.alice.id });
    expect(res.assigneeId).toBe(agents.alice.id);
    expect(await frontlineQueue()).toEqual({ teamId: teams.frontline.id, levelId: levels.l1.id, open: before.open, unassigned: before.unassigned - 1 });
    expect(await aliceOf(as.lena)).toEqual({
      id: agents.alice.id,
      name: "Alice",
      role: "agent",
      availability: "online",
      assigned: aliceBefore.assigned + 1,
      capacity: 10,
      teamIds: [teams.frontline.id],
    });

    expect((await send({ token: agents.alice.token }, "PUT", "/agents/me/availability", { availability: "away" })).status).toBe(200);
    expect((await aliceOf(as.mark)).availability).toBe("away");
    await patch(t.id, { status: "resolved" });
    expect((await aliceOf(as.lena)).assigned).toBe(aliceBefore.assigned);
    expect(await frontlineQueue()).toMatchObject({ open: before.open - 1, unassigned: before.unassigned - 1 });

    // A lead sees the members of their teams; a manager everyone.
    const lenaAgents = (await board(as.lena)).agents;
    expect(lenaAgents.items.map((a: Json) => a.name).sort()).toEqual(["Alice", "Lena"]);
    expect(lenaAgents.total).toBe(2);
    const markAgents = (await board(as.mark)).agents.items.map((a: Json) => a.name);
    expect(markAgents).toEqual(expect.arrayContaining(["Alice", "Bob", "Tina", "Mark", "Lena"]));
  });
});
