import { randomUUID } from "node:crypto";
import { eq, isNull, notInArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { slaClocks, slaPolicies, tickets } from "../../db/schema.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { startHarness } from "../../test-support/harness.js";
import { ticketApi } from "../../test-support/ticket-api.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const HOUR = 3_600_000;
const OFFICE_DAY: [string, string][] = [["09:00", "17:00"]];
const OFFICE_HOURS = { mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: OFFICE_DAY, fri: OFFICE_DAY };


const iso = (ms: number) => new Date(ms).toISOString();

describe("SLA policies", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const carol = await t.signIn("carol@customer.test");
  const tag = () => randomUUID().slice(0, 8);

  /**
   * A category no other test uses. Every policy here is limited to one, so that a policy made by one test
   * never matches the tickets of another (the first active policy by position wins).
   */
  const freshCategory = () => `cat-${tag()}`;

  /** Creates a policy as the admin and returns it, asserting 201. */
  async function createPolicy(body: Record<string, unknown>) {
    const res = await send(as.admin, "POST", "/sla-policies", { name: `Policy ${tag()}`, ...body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  async function createOfficeCalendar(timezone = "UTC") {
    const res = await send(as.admin, "POST", "/calendars", { name: `Office ${tag()}`, timezone, hours: OFFICE_HOURS });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  /** A ticket's clocks as Alice (a frontline agent) sees them. */
  async function clocksOf(ticketId: string) {
    const res = await send(as.alice, "GET", `/tickets/${ticketId}/clocks`);
    expect(res.status, res.text).toBe(200);
    return res.body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  }

  const clockOf = async (ticketId: string, metric: string) => (await clocksOf(ticketId)).find((c) => c.metric === metric && c.stoppedAt === null);

  /** The policy whose clocks run on a ticket (kept on the ticket row; the API shows it on each clock). */
  const policyIdOf = async (ticketId: string) =>
    (await h.store.db.select({ id: tickets.slaPolicyId }).from(tickets).where(eq(tickets.id, ticketId)))[0]!.id;

  const policyCount = async () => (await h.store.db.select({ n: sql<number>`count(*)::int` }).from(slaPolicies))[0]!.n;

  describe("create and read", () => {
    it("creates a policy: 201 with defaults filled, version 1", async () => {
      const category = freshCategory();
      const name = `Standard ${tag()}`;
      const res = await send(as.admin, "POST", "/sla-policies", {
        name,
        conditions: { categories: [category] },
        targets: { first_response: { normal: "PT1H", urgent: "PT15M" }, resolution: { normal: "P2D" } },
      });
      expect(res.status, res.text).toBe(201);
      const now = h.clock.now().toISOString();
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        name,
        position: 100,
        active: true,
        conditions: { categories: [category] },
        calendarId: null,
        pauseStatuses: ["pending", "on_hold"],
        targets: { first_response: { normal: "PT1H", urgent: "PT15M" }, resolution: { normal: "P2D" } },
        steps: [],
        ackTimeout: null,
        resolutionCountsAsResponse: false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      const got = await send(as.alice, "GET", `/sla-policies/${res.body.id}`);
      expect(got.status, got.text).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it("keeps steps with their defaults and a business-hours calendar", async () => {
      const calendar = await createOfficeCalendar();
      const policy = await createPolicy({
        conditions: { categories: [freshCategory()], teamIds: [h.org.teams.frontline.id] },
        calendarId: calendar.id,
        targets: { resolution: { high: "PT8H" } },
        steps: [
          { type: "warning", metric: "resolution", atPercent: 75 },
          { type: "escalate", metric: "resolution", to: { kind: "team", teamId: h.org.teams.billing.id } },
          { type: "escalate", metric: "resolution", after: "PT4H", to: { kind: "role", role: "manager" }, repeatEvery: "PT8H" },
        ],
        ackTimeout: "PT30M",
      });
      expect(policy.calendarId).toBe(calendar.id);
      expect(policy.ackTimeout).toBe("PT30M");
      expect(policy.steps).toEqual([
        { type: "warning", metric: "resolution", atPercent: 75 },
        { type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "team", teamId: h.org.teams.billing.id }, raisePriority: false, maxRepeats: 3 },
        { type: "escalate", metric: "resolution", after: "PT4H", to: { kind: "role", role: "manager" }, raisePriority: false, repeatEvery: "PT8H", maxRepeats: 3 },
      ]);
    });

    it("lists policies in match order (position, then name) and pages through them", async () => {
      const prefix = `Order ${tag()}`;
      const made = [];
      for (const [suffix, position] of [["c", 7], ["a", 9], ["b", 7]] as const) {
        made.push(await createPolicy({ name: `${prefix} ${suffix}`, position, active: false, targets: { resolution: { normal: "PT1H" } } }));
      }
      const all = await t.all(as.lena, "/sla-policies");
      const keys = all.map((p) => [p.position as number, p.name as string] as const);
      const sorted = [...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
      expect(keys).toEqual(sorted);
      expect(all.filter((p) => p.name.startsWith(prefix)).map((p) => p.name)).toEqual([`${prefix} b`, `${prefix} c`, `${prefix} a`]);
      expect((await t.all(as.lena, "/sla-policies", 1)).map((p) => p.id)).toEqual(all.map((p) => p.id));
      expect(all.map((p) => p.id)).toEqual(expect.arrayContaining(made.map((p) => p.id)));
    });

    it("answers an unknown policy with 404 sla_policy_not_found", async () => {
      expectProblem(await send(as.admin, "GET", `/sla-policies/${UNKNOWN_ID}`), 404, "sla_policy_not_found");
      expectProblem(await send(as.admin, "PATCH", `/sla-policies/${UNKNOWN_ID}`, { active: false }), 404, "sla_policy_not_found");
    });
  });

  describe("validation", () => {
    const base = () => ({ name: `Invalid ${tag()}`, conditions: { categories: [freshCategory()] }, targets: { resolution: { normal: "PT4H" } } });
    const post = (body: Record<string, unknown>) => send(as.admin, "POST", "/sla-policies", { ...base(), ...body });

    it("rejects bad policies with 400 naming the failing fields, and writes nothing", async () => {
      const before = await policyCount();
      expectInvalid(await post({ targets: { first_response: { high: "2h" } } }), ["body.targets.first_response.high"]);
      expectInvalid(await post({ targets: { first_response: { high: "P1M" } } }), ["body.targets.first_response.high"]);
      expectInvalid(await post({ targets: { first_response: { high: "PT0S" } } }), ["body.targets.first_response.high"]);
      expectInvalid(await post({ targets: { first_response: { high: "-PT1H" } } }), ["body.targets.first_response.high"]);
      expectInvalid(await post({ targets: { resolution: { normal: "P9999D" } } }), ["body.targets.resolution.normal"]);
      expectInvalid(await post({ targets: { solution: { normal: "PT1H" } } }), ["body.targets"]);
      expectInvalid(await post({ steps: [{ type: "warning", metric: "resolution", atPercent: 50, before: "PT1H" }] }), ["body.steps.0"]);
      expectInvalid(await post({ steps: [{ type: "warning", metric: "resolution" }] }), ["body.steps.0"]);
      expectInvalid(await post({ steps: [{ type: "escalate", metric: "resolution", after: "-PT1H" }] }), ["body.steps.0.after"]);
      expectInvalid(await post({ pauseStatuses: ["resolved"] }), ["body.pauseStatuses.0"]);
      expectInvalid(await post({ conditions: { priorities: ["critical"] } }), ["body.conditions.priorities.0"]);
      expectInvalid(await post({ calendarId: "office" }), ["body.calendarId"]);
      expectInvalid(await post({ name: "" }), ["body.name"]);
      expectInvalid(await send(as.admin, "POST", "/sla-policies", { name: `x ${tag()}` }), ["body.targets"]);
      expect(await policyCount()).toBe(before);
    });

    it("refuses durations finer than a millisecond, naming why, and accepts PT0.001S", async () => {
      const before = await policyCount();
      const refusals = [
        await post({ targets: { first_response: { high: "PT0.0001S" } } }),
        await post({ targets: { first_response: { high: "PT0.0015S" } } }),
        await post({ targets: { resolution: { normal: "PT0.00000001H" } } }),
        await post({ ackTimeout: "PT1.0001S" }),
        await post({ steps: [{ type: "escalate", metric: "resolution", after: "PT0.0005S" }] }),
      ];
      const paths = ["body.targets.first_response.high", "body.targets.first_response.high", "body.targets.resolution.normal", "body.ackTimeout", "body.steps.0.after"];
      refusals.forEach((res, i) => {
        expectInvalid(res, [paths[i]!]);
        expect(res.body.errors[0].message).toMatch(/whole milliseconds/);
      });
      expect(await policyCount()).toBe(before);
      const created = await createPolicy({ conditions: { categories: [freshCategory()] }, targets: { first_response: { urgent: "PT0.001S" } } });
      expect(created.targets.first_response.urgent).toBe("PT0.001S");
    });

    it("answers unknown references with 404 and writes nothing", async () => {
      const before = await policyCount();
      expectProblem(await post({ calendarId: UNKNOWN_ID }), 404, "calendar_not_found");
      expectProblem(await post({ conditions: { teamIds: [h.org.teams.frontline.id, UNKNOWN_ID] } }), 404, "team_not_found");
      expectProblem(
        await post({ steps: [{ type: "escalate", metric: "resolution", to: { kind: "team", teamId: UNKNOWN_ID } }] }),
        404,
        "team_not_found",
      );
      expect(await policyCount()).toBe(before);
    });

    it("answers a duplicate name with 409 sla_policy_exists", async () => {
      const policy = await createPolicy(base());
      const before = await policyCount();
      expectProblem(await post({ name: policy.name }), 409, "sla_policy_exists");
      expect(await policyCount()).toBe(before);
    });
  });

  describe("permissions", () => {
    it("lets only admins write policies (403), staff read them, customers nothing", async () => {
      const policy = await createPolicy({ active: false, targets: { resolution: { normal: "PT1H" } } });
      const name = `Forbidden ${tag()}`;
      for (const who of [as.alice, as.lena, as.mark]) {
        expectProblem(await send(who, "POST", "/sla-policies", { name, targets: { resolution: { normal: "PT1H" } } }), 403, "forbidden");
        expectProblem(await send(who, "PATCH", `/sla-policies/${policy.id}`, { position: 1 }), 403, "forbidden");
        expectProblem(await send(who, "POST", "/sla-policies/reapply"), 403, "forbidden");
        expect((await send(who, "GET", `/sla-policies/${policy.id}`)).status).toBe(200);
        expect((await send(who, "GET", "/sla-policies")).status).toBe(200);
      }
      expectProblem(await send(carol, "GET", "/sla-policies"), 403, "forbidden");
      expectProblem(await send(carol, "GET", `/sla-policies/${policy.id}`), 403, "forbidden");
      expectProblem(await send(carol, "POST", "/sla-policies/reapply"), 403, "forbidden");
      expectProblem(await send(undefined, "GET", "/sla-policies"), 401, "unauthenticated");
      expect((await send(as.admin, "GET", `/sla-policies/${policy.id}`)).body).toEqual(policy);
    });
  });

  describe("update", () => {
    it("changes the given fields, bumps version and updatedAt; a change to nothing keeps the version", async () => {
      const calendar = await createOfficeCalendar();
      const policy = await createPolicy({ active: false, conditions: { categories: [freshCategory()] }, targets: { resolution: { normal: "PT4H" } } });
      h.clock.advance(60_000);
      const res = await send(as.admin, "PATCH", `/sla-policies/${policy.id}`, {
        targets: { resolution: { normal: "PT2H" } },
        calendarId: calendar.id,
        pauseStatuses: ["pending"],
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        ...policy,
        targets: { resolution: { normal: "PT2H" } },
        calendarId: calendar.id,
        pauseStatuses: ["pending"],
        version: 2,
        updatedAt: h.clock.now().toISOString(),
      });
      h.clock.advance(60_000);
      const same = await send(as.admin, "PATCH", `/sla-policies/${policy.id}`, { targets: { resolution: { normal: "PT2H" } }, conditions: policy.conditions });
      expect(same.status, same.text).toBe(200);
      expect(same.body).toEqual(res.body);
    });

    it("rejects bad changes (400, 404, 409) and leaves the policy as it was", async () => {
      const policy = await createPolicy({ active: false, targets: { resolution: { normal: "PT4H" } } });
      const other = await createPolicy({ active: false, targets: { resolution: { normal: "PT4H" } } });
      const patch = (body: unknown) => send(as.admin, "PATCH", `/sla-policies/${policy.id}`, body);
      expectInvalid(await patch({}), ["body"]);
      expectInvalid(await patch({ targets: { resolution: { normal: "4 hours" } } }), ["body.targets.resolution.normal"]);
      expectInvalid(await patch({ position: -1 }), ["body.position"]);
      expectProblem(await patch({ calendarId: UNKNOWN_ID, position: 3 }), 404, "calendar_not_found");
      expectProblem(await patch({ conditions: { teamIds: [UNKNOWN_ID] } }), 404, "team_not_found");
      expectProblem(await patch({ name: other.name }), 409, "sla_policy_exists");
      expect((await send(as.admin, "GET", `/sla-policies/${policy.id}`)).body).toEqual(policy);
    });
  });

  describe("clocks of new tickets", () => {
    it("gives a new matching ticket running clocks due at createdAt + target on a 24/7 policy", async () => {
      const category = freshCategory();
      const policy = await createPolicy({
        position: 10,
        conditions: { categories: [category] },
        targets: { first_response: { normal: "PT1H" }, resolution: { normal: "PT8H" } },
      });
      const ticket = await t.openTicket({ category });
      expect(await policyIdOf(ticket.id)).toBe(policy.id);
      const createdAt = Date.parse(ticket.createdAt);
      const clocks = await clocksOf(ticket.id);
      expect(clocks).toEqual([
        {
          id: expect.stringMatching(UUID),
          ticketId: ticket.id,
          policyId: policy.id,
          metric: "first_response",
          cycle: 1,
          state: "running",
          isPaused: false,
          targetMs: HOUR,
          elapsedMs: 0,
          startedAt: ticket.createdAt,
          dueAt: iso(createdAt + HOUR),
          breachedAt: null,
          stoppedAt: null,
          pauses: [],
          // A 24/7 policy: business time left is calendar time left, and it is never outside hours.
          businessRemainingMs: HOUR,
          isOutsideHours: false,
        },
        expect.objectContaining({ metric: "resolution", state: "running", isPaused: false, targetMs: 8 * HOUR, dueAt: iso(createdAt + 8 * HOUR) }),
      ]);

      // A ticket that matches no policy has no clocks.
      const unmatched = await t.openTicket({ category: freshCategory() });
      expect(await policyIdOf(unmatched.id)).toBeNull();
      expect(await clocksOf(unmatched.id)).toEqual([]);
    });

    it("counts a business-hours policy in its calendar, as the calendar's due endpoint does", async () => {
      const category = freshCategory();
      const calendar = await createOfficeCalendar();
      await createPolicy({ position: 10, conditions: { categories: [category] }, calendarId: calendar.id, targets: { resolution: { normal: "PT2H" } } });
      h.clock.set("2026-03-06T16:00:00Z"); // a Friday, one hour before closing
      const ticket = await t.openTicket({ category });
      const resolution = await clockOf(ticket.id, "resolution");
      expect(resolution!.dueAt).toBe("2026-03-09T10:00:00.000Z");
      const check = await send(as.alice, "GET", `/calendars/${calendar.id}/due?start=${ticket.createdAt}&duration=PT2H`);
      expect(check.body.due).toBe(resolution!.dueAt);
      // Elapsed working time counts only open hours: Friday's last hour, not the weekend.
      h.clock.set("2026-03-08T12:00:00Z");
      expect((await clockOf(ticket.id, "resolution"))!.elapsedMs).toBe(HOUR);
    });

    it("shows pauses while the ticket waits on the customer, with their history", async () => {
      const category = freshCategory();
      await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { resolution: { normal: "PT8H" } } });
      const ticket = await t.openTicket({ category });
      h.clock.advance(HOUR);
      const pausedAt = h.clock.now().toISOString();
      await t.patch(ticket.id, { status: "pending" });
      const paused = await clockOf(ticket.id, "resolution");
      expect(paused).toMatchObject({ state: "paused", isPaused: true, dueAt: null, elapsedMs: HOUR, pauses: [{ from: pausedAt, to: null }] });
      h.clock.advance(2 * HOUR);
      expect((await clockOf(ticket.id, "resolution"))!.elapsedMs).toBe(HOUR);
      const resumedAt = h.clock.now().toISOString();
      await t.patch(ticket.id, { status: "open" });
      const resumed = await clockOf(ticket.id, "resolution");
      expect(resumed).toMatchObject({ state: "running", isPaused: false, pauses: [{ from: pausedAt, to: resumedAt }] });
      expect(resumed!.dueAt).toBe(iso(Date.parse(resumedAt) + 7 * HOUR));
      // A stopped clock is not paused.
      await t.patch(ticket.id, { status: "resolved" });
      const stopped = (await clocksOf(ticket.id)).find((c) => c.metric === "resolution")!;
      expect(stopped).toMatchObject({ state: "met", isPaused: false, stoppedAt: h.clock.now().toISOString() });
    });

    it("shows clocks to staff who can see the ticket only: customers 403, others 404", async () => {
      const category = freshCategory();
      await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { resolution: { normal: "PT8H" } } });
      const own = await t.openTicket({ category }, carol);
      expectProblem(await send(carol, "GET", `/tickets/${own.id}/clocks`), 403, "forbidden");
      // Bob works in Billing: a frontline ticket is not his to see.
      expectProblem(await send(as.bob, "GET", `/tickets/${own.id}/clocks`), 404, "ticket_not_found");
      expect((await send(as.mark, "GET", `/tickets/${own.id}/clocks`)).body.data).toHaveLength(1);
      expectProblem(await send(as.alice, "GET", `/tickets/${UNKNOWN_ID}/clocks`), 404, "ticket_not_found");
      expectProblem(await send(undefined, "GET", `/tickets/${own.id}/clocks`), 401, "unauthenticated");
    });
  });

  describe("changes and re-applying", () => {
    it("a PATCH changes targets for new tickets only, until the policies are re-applied; elapsed time is kept", async () => {
      const category = freshCategory();
      const policy = await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { first_response: { normal: "PT2H" }, resolution: { normal: "PT8H" } } });
      const older = await t.openTicket({ category });
      const olderStart = Date.parse(older.createdAt);
      h.clock.advance(HOUR);

      const patched = await send(as.admin, "PATCH", `/sla-policies/${policy.id}`, { targets: { first_response: { normal: "PT2H" }, resolution: { normal: "PT4H" } } });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.body.version).toBe(2);

      // The open ticket keeps its target; a new ticket gets the new one.
      expect(await clockOf(older.id, "resolution")).toMatchObject({ targetMs: 8 * HOUR, dueAt: iso(olderStart + 8 * HOUR) });
      const newer = await t.openTicket({ category });
      expect(await clockOf(newer.id, "resolution")).toMatchObject({ targetMs: 4 * HOUR, dueAt: iso(Date.parse(newer.createdAt) + 4 * HOUR) });

      // A resolved ticket is left alone.
      const done = await t.openTicket({ category: (await createDoneCategory()).category });
      await t.patch(done.id, { status: "resolved" });
      const doneClocks = await clocksOf(done.id);

      h.clock.advance(30 * 60_000);
      const open = await h.store.db.select({ n: sql<number>`count(*)::int` }).from(tickets).where(notInArray(tickets.status, ["resolved", "closed"]));
      const res = await send(as.admin, "POST", "/sla-policies/reapply");
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ tickets: open[0]!.n });

      // 1.5 h used of the new 4 h: due 4 h after the start, as if the ticket had had the new target all along.
      expect(await clockOf(older.id, "resolution")).toMatchObject({ targetMs: 4 * HOUR, elapsedMs: 1.5 * HOUR, state: "running", dueAt: iso(olderStart + 4 * HOUR) });
      expect(await clockOf(older.id, "first_response")).toMatchObject({ targetMs: 2 * HOUR, dueAt: iso(olderStart + 2 * HOUR) });
      // The newer ticket had the new target already: nothing moves.
      expect(await clockOf(newer.id, "resolution")).toMatchObject({ targetMs: 4 * HOUR, dueAt: iso(Date.parse(newer.createdAt) + 4 * HOUR) });
      expect(await clocksOf(done.id)).toEqual(doneClocks);
      // The re-application is on the internal timeline.
      const events = await t.timeline(older.id);
      expect(events.find((e) => e.type === "sla.reapplied")?.data).toEqual({ policyId: { from: policy.id, to: policy.id } });
    });

    it("re-applying gives an open ticket a policy created after it (resolution starts, first response is not owed again)", async () => {
      const category = freshCategory();
      const ticket = await t.openTicket({ category });
      expect(await clocksOf(ticket.id)).toEqual([]);
      const policy = await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { first_response: { normal: "PT1H" }, resolution: { normal: "PT8H" } } });
      expect(await clocksOf(ticket.id)).toEqual([]);
      expect((await send(as.admin, "POST", "/sla-policies/reapply")).status).toBe(200);
      const clocks = await clocksOf(ticket.id);
      expect(clocks.map((c) => [c.metric, c.policyId, c.state])).toEqual([["resolution", policy.id, "running"]]);
      expect(await policyIdOf(ticket.id)).toBe(policy.id);
    });

    it("re-applying moves a ticket to the policy that now matches first, or stops its clocks when none does", async () => {
      const category = freshCategory();
      const first = await createPolicy({ position: 20, conditions: { categories: [category] }, targets: { resolution: { normal: "PT8H" } } });
      const ticket = await t.openTicket({ category });
      const second = await createPolicy({ position: 5, conditions: { categories: [category] }, targets: { resolution: { normal: "PT6H" } } });
      await send(as.admin, "POST", "/sla-policies/reapply");
      expect(await policyIdOf(ticket.id)).toBe(second.id);
      expect(await clockOf(ticket.id, "resolution")).toMatchObject({ policyId: second.id, targetMs: 6 * HOUR });

      for (const p of [first, second]) expect((await send(as.admin, "PATCH", `/sla-policies/${p.id}`, { active: false })).status).toBe(200);
      await send(as.admin, "POST", "/sla-policies/reapply");
      expect(await policyIdOf(ticket.id)).toBeNull();
      expect(await clockOf(ticket.id, "resolution")).toBeUndefined();
      expect((await clocksOf(ticket.id)).map((c) => c.stoppedAt)).not.toContain(null);
    });

    it("re-applying one policy moves only the open tickets it times; an unknown or malformed policy id is refused", async () => {
      const [mine, theirs] = [freshCategory(), freshCategory()];
      const policy = await createPolicy({ position: 10, conditions: { categories: [mine] }, targets: { first_response: { normal: "PT4H" } } });
      const other = await createPolicy({ position: 10, conditions: { categories: [theirs] }, targets: { first_response: { normal: "PT4H" } } });
      const timed = await t.openTicket({ category: mine });
      const untouched = await t.openTicket({ category: theirs });
      for (const p of [policy, other]) await send(as.admin, "PATCH", `/sla-policies/${p.id}`, { targets: { first_response: { normal: "PT1H" } } });
      const before = await clocksOf(untouched.id);

      expectInvalid(await send(as.admin, "POST", "/sla-policies/reapply?policyId=nope"), ["querystring.policyId"]);
      expectProblem(await send(as.admin, "POST", `/sla-policies/reapply?policyId=${UNKNOWN_ID}`), 404, "sla_policy_not_found");
      expectProblem(await send(as.lena, "POST", `/sla-policies/reapply?policyId=${policy.id}`), 403, "forbidden");
      expect(await clockOf(timed.id, "first_response")).toMatchObject({ targetMs: 4 * HOUR });

      const res = await send(as.admin, "POST", `/sla-policies/reapply?policyId=${policy.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ tickets: 1 });
      expect(await clockOf(timed.id, "first_response")).toMatchObject({ targetMs: HOUR, dueAt: iso(Date.parse(timed.createdAt) + HOUR) });
      expect(await clocksOf(untouched.id)).toEqual(before);
      expect((await t.timeline(untouched.id)).map((e) => e.type)).not.toContain("sla.reapplied");
    });

    it("a refused re-apply changes nothing", async () => {
      const category = freshCategory();
      const policy = await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { resolution: { normal: "PT8H" } } });
      const ticket = await t.openTicket({ category });
      await send(as.admin, "PATCH", `/sla-policies/${policy.id}`, { targets: { resolution: { normal: "PT1H" } } });
      const before = await h.store.db.select().from(slaClocks).where(eq(slaClocks.ticketId, ticket.id));
      expectProblem(await send(as.lena, "POST", "/sla-policies/reapply"), 403, "forbidden");
      expect(await h.store.db.select().from(slaClocks).where(eq(slaClocks.ticketId, ticket.id))).toEqual(before);
      expect((await t.timeline(ticket.id)).map((e) => e.type)).not.toContain("sla.reapplied");
    });
  });

  /** A policy for tickets that get resolved in a test; returns its category. */
  async function createDoneCategory() {
    const category = freshCategory();
    const policy = await createPolicy({ position: 10, conditions: { categories: [category] }, targets: { resolution: { normal: "PT8H" } } });
    return { category, policy };
  }

  it("keeps one live clock per metric on every ticket (no duplicates after re-applying twice)", async () => {
    await send(as.admin, "POST", "/sla-policies/reapply");
    await send(as.admin, "POST", "/sla-policies/reapply");
    const duplicates = await h.store.db
      .select({ ticketId: slaClocks.ticketId, metric: slaClocks.metric, n: sql<number>`count(*)::int` })
      .from(slaClocks)
      .where(isNull(slaClocks.stoppedAt))
      .groupBy(slaClocks.ticketId, slaClocks.metric)
      .having(sql`count(*) > 1`);
    expect(duplicates).toEqual([]);
  });
});
