import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../config.js";
import { escalationRequests, outbox } from "../../db/schema.js";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { startHarness, type Harness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { HANDOVER, ticketApi, uniqueCustomer, type Caller } from "../../test-support/ticket-api.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MIN_AGE = 240 * MINUTE; // the default TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const REASON = "Nobody has answered for hours and our shop cannot take payments.";
const DECLINE = "Billing is already on it; a manager would not make it faster.";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Customer = { id: string; caller: Caller };

/** Helpers for escalation requests on top of the ticket API helpers. */
function requestApi(h: Harness) {
  const api = ticketApi(h);
  const { as, send, openTicket, all } = api;

  /** A new customer who can sign in, signed in. */
  async function newCustomer(): Promise<Customer> {
    const res = await send(as.admin, "POST", "/customers", { ...uniqueCustomer(), password: TEST_PASSWORD });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id, caller: await api.signIn(res.body.email) };
  }
  /** A ticket the customer opens themselves (on Frontline, L1). */
  const openAs = (c: Customer, overrides: Record<string, unknown> = {}) => openTicket(overrides, c.caller);
  const request = (ticketId: string, who: Caller, reason: unknown = REASON) => send(who, "POST", `/tickets/${ticketId}/escalation-requests`, { reason });
  /** Asks for escalation and returns the request, asserting 201. */
  async function requested(ticketId: string, who: Caller): Promise<Json> {
    const res = await request(ticketId, who);
    expect(res.status, res.text).toBe(201);
    return res.body;
  }
  const accept = (id: string, who: Caller, body: Record<string, unknown> = {}) => send(who, "POST", `/escalation-requests/${id}/accept`, body);
  const decline = (id: string, who: Caller, reason: unknown = DECLINE) => send(who, "POST", `/escalation-requests/${id}/decline`, { reason });
  const requestsOf = (ticketId: string, who: Caller = as.admin) => all(who, `/tickets/${ticketId}/escalation-requests`);
  /** The outbox topics written for a ticket's escalation requests, in order. */
  const outboxOf = async (ticketId: string) =>
    (
      await h.store.db
        .select({ topic: outbox.topic, payload: outbox.payload })
        .from(outbox)
        .where(and(like(outbox.topic, "escalation_request.%"), sql`${outbox.payload}->>'ticketId' = ${ticketId}`))
        .orderBy(outbox.id)
    ).map((o) => o.topic);
  /** Everything a request or its answer could change, as the admin sees it. */
  const stateOf = async (ticketId: string) => ({
    ticket: await api.ticket(ticketId),
    escalations: await api.escalations(ticketId),
    events: await api.timeline(ticketId),
    requests: await requestsOf(ticketId),
    outbox: await outboxOf(ticketId),
  });
  return { ...api, newCustomer, openAs, request, requested, accept, decline, requestsOf, outboxOf, stateOf };
}

const requestEvents = (events: Json[]) => events.filter((e) => e.type.startsWith("escalation_request."));

describe("escalation requests API", async () => {
  // Every test signs in customers of its own: more than the default 10 sign-ins a minute.
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "1000" });
  const { agents, teams, levels } = h.org;
  const r = requestApi(h);
  const { as, send, patch, ticket, timeline, escalations, all } = r;

  describe("POST /tickets/{id}/escalation-requests", () => {
    it("refuses a request on a young ticket, saying from when it is allowed, and takes it once the ticket is old enough", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      const allowedFrom = new Date(new Date(t.createdAt).getTime() + MIN_AGE).toISOString();
      h.clock.advance(HOUR);
      const early = await r.request(t.id, dave.caller);
      expectProblem(early, 409, "escalation_request_too_early");
      expect(early.body.detail).toContain(allowedFrom);
      expect(await r.requestsOf(t.id)).toEqual([]);
      expect(await r.outboxOf(t.id)).toEqual([]);

      h.clock.advance(MIN_AGE - HOUR - 1);
      expectProblem(await r.request(t.id, dave.caller), 409, "escalation_request_too_early");
      h.clock.advance(1);
      const res = await r.request(t.id, dave.caller, `  ${REASON}  `);
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        ticketId: t.id,
        customerId: dave.id,
        reason: REASON,
        status: "open",
        decidedById: null,
        decidedAt: null,
        answer: null,
        escalationId: null,
        createdAt: allowedFrom,
      });
      expect(await r.requestsOf(t.id, dave.caller)).toEqual([res.body]);
      expect(requestEvents(await timeline(t.id, dave.caller))).toEqual([
        expect.objectContaining({ type: "escalation_request.created", visibility: "public", actorType: "customer", actorId: dave.id, data: { requestId: res.body.id, reason: REASON } }),
      ]);
      expect(await r.outboxOf(t.id)).toEqual(["escalation_request.created"]);
      // Asking does not move the ticket: staff decide.
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l1.id, teamId: teams.frontline.id });
      expect(await escalations(t.id)).toEqual([]);
    });

    it("allows a request as soon as the first-response target is breached, before the minimum age", async () => {
      const category = `fr-breach-${Date.now()}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { first_response: { normal: "PT1H" } } });
      const dave = await r.newCustomer();
      const t = await r.openAs(dave, { category });
      const due = new Date(new Date(t.createdAt).getTime() + HOUR).toISOString();

      h.clock.advance(30 * MINUTE);
      const early = await r.request(t.id, dave.caller);
      expectProblem(early, 409, "escalation_request_too_early");
      expect(early.body.detail, "the first-response due time comes before the minimum age").toContain(due);

      h.clock.advance(31 * MINUTE);
      await new DeadlineEngine({ store: h.store, clock: h.clock }).drainDue();
      const clocks = await send(as.admin, "GET", `/tickets/${t.id}/clocks`);
      expect(clocks.body.data.find((c: Json) => c.metric === "first_response")).toMatchObject({ state: "breached" });
      const res = await r.request(t.id, dave.caller);
      expect(res.status, res.text).toBe(201);
    });

    it("falls back to the minimum age when the first response was given in time", async () => {
      const category = `fr-met-${Date.now()}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { first_response: { normal: "PT1H" } } });
      const dave = await r.newCustomer();
      const t = await r.openAs(dave, { category });
      h.clock.advance(30 * MINUTE);
      const reply = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "We are looking into it.", kind: "public" });
      expect(reply.status, reply.text).toBe(201);
      h.clock.advance(HOUR);
      await new DeadlineEngine({ store: h.store, clock: h.clock }).drainDue();
      const early = await r.request(t.id, dave.caller);
      expectProblem(early, 409, "escalation_request_too_early");
      expect(early.body.detail).toContain(new Date(new Date(t.createdAt).getTime() + MIN_AGE).toISOString());
    });

    it("keeps one open request per ticket; after an answer the customer may ask again", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const first = await r.requested(t.id, dave.caller);
      h.clock.advance(MINUTE);
      const again = await r.request(t.id, dave.caller, "I am asking a second time, please escalate.");
      expectProblem(again, 409, "escalation_request_open");
      expect(again.body.detail).toContain(first.createdAt);
      expect((await r.requestsOf(t.id)).map((x) => x.id)).toEqual([first.id]);

      expect((await r.decline(first.id, as.alice)).status).toBe(200);
      const second = await r.requested(t.id, dave.caller);
      expect((await r.requestsOf(t.id, dave.caller)).map((x) => [x.id, x.status])).toEqual([
        [first.id, "declined"],
        [second.id, "open"],
      ]);
    });

    it("takes one of two requests on one ticket sent at once", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const results = await Promise.all([r.request(t.id, dave.caller), r.request(t.id, dave.caller)]);
      expect(results.map((x) => x.status).sort()).toEqual([201, 409]);
      expect(results.find((x) => x.status === 409)!.body.code).toBe("escalation_request_open");
      expect(await r.requestsOf(t.id)).toHaveLength(1);
    });

    it("takes at most 3 requests per customer in 24 hours, saying when the next one is allowed", async () => {
      const dave = await r.newCustomer();
      const tickets: Json[] = [];
      for (let i = 0; i < 5; i++) tickets.push(await r.openAs(dave));
      h.clock.advance(MIN_AGE);
      const made: Json[] = [];
      for (const t of tickets.slice(0, 3)) {
        made.push(await r.requested(t.id, dave.caller));
        h.clock.advance(10 * MINUTE);
      }
      // Answered requests count too: the limit is on asking, not on waiting.
      expect((await r.decline(made[0].id, as.alice)).status).toBe(200);
      const before = await r.stateOf(tickets[3].id);
      const limited = await r.request(tickets[3].id, dave.caller);
      expectProblem(limited, 429, "escalation_request_limit_reached");
      const nextAt = new Date(new Date(made[0].createdAt).getTime() + 24 * HOUR).toISOString();
      expect(limited.body.detail).toContain(nextAt);
      expect(await r.stateOf(tickets[3].id)).toEqual(before);

      // Another customer is not limited by Dave's requests.
      const erin = await r.newCustomer();
      const hers = await r.openAs(erin);
      h.clock.advance(MIN_AGE);
      await r.requested(hers.id, erin.caller);

      h.clock.set(new Date(new Date(nextAt).getTime() - 1));
      expectProblem(await r.request(tickets[3].id, dave.caller), 429, "escalation_request_limit_reached");
      h.clock.advance(1);
      await r.requested(tickets[3].id, dave.caller);
      expectProblem(await r.request(tickets[4].id, dave.caller), 429, "escalation_request_limit_reached");
    });

    it("answers 404 on another customer's ticket and on an unknown ticket, writing nothing", async () => {
      const dave = await r.newCustomer();
      const erin = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const before = await r.stateOf(t.id);
      expectProblem(await r.request(t.id, erin.caller), 404, "ticket_not_found");
      expectProblem(await r.request(UNKNOWN_ID, erin.caller), 404, "ticket_not_found");
      expectProblem(await send(erin.caller, "GET", `/tickets/${t.id}/escalation-requests`), 404, "ticket_not_found");
      expect(await r.stateOf(t.id)).toEqual(before);
      // Erin's refused attempts did not use up her daily allowance either.
      const hers = await r.openAs(erin);
      h.clock.advance(MIN_AGE);
      for (const ticketId of [hers.id, (await r.openAs(erin)).id, (await r.openAs(erin)).id]) {
        h.clock.advance(MIN_AGE);
        await r.requested(ticketId, erin.caller);
      }
    });

    it("forbids staff to ask on the customer's behalf (403): they escalate directly", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      for (const who of [as.alice, as.admin]) expectProblem(await r.request(t.id, who), 403, "forbidden");
      expectProblem(await r.request(UNKNOWN_ID, as.admin), 403, "forbidden");
      expect(await r.requestsOf(t.id)).toEqual([]);
    });

    it("refuses a request on a resolved or closed ticket with 409 ticket_not_escalatable", async () => {
      const dave = await r.newCustomer();
      for (const status of ["resolved", "closed"]) {
        const t = await r.openAs(dave);
        h.clock.advance(MIN_AGE);
        await patch(t.id, { status });
        const before = await r.stateOf(t.id);
        const res = await r.request(t.id, dave.caller);
        expectProblem(res, 409, "ticket_not_escalatable");
        expect(res.body.detail).toContain(status);
        expect(await r.stateOf(t.id)).toEqual(before);
      }
    });

    it.each([
      ["a reason under 10 characters once trimmed", "   too short   "],
      ["a reason over 2000 characters", "x".repeat(2001)],
      ["no reason", undefined],
      ["a reason that is not text", 42],
    ])("refuses %s with 400", async (_label, reason) => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      expectInvalid(await send(dave.caller, "POST", `/tickets/${t.id}/escalation-requests`, reason === undefined ? {} : { reason }), ["body.reason"]);
      expect(await r.requestsOf(t.id)).toEqual([]);
    });

    it("takes a reason of exactly 10 and of exactly 2000 characters", async () => {
      const dave = await r.newCustomer();
      for (const reason of ["Escalate!!", "y".repeat(2000)]) {
        const t = await r.openAs(dave);
        h.clock.advance(MIN_AGE);
        const res = await r.request(t.id, dave.caller, reason);
        expect(res.status, res.text).toBe(201);
        expect(res.body.reason).toBe(reason);
      }
    });
  });

  describe("POST /escalation-requests/{id}/accept", () => {
    it("escalates the ticket (kind customer) to the next level up, with the customer's reason and the agent's note", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      h.clock.advance(5 * MINUTE);
      const note = "Agreed: Billing will call you back today.";
      const res = await r.accept(req.id, as.alice, { note });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        id: req.id,
        status: "accepted",
        decidedById: agents.alice.id,
        decidedAt: h.clock.now().toISOString(),
        answer: note,
        escalationId: expect.any(String),
      });

      const [e] = await escalations(t.id);
      expect(e).toMatchObject({
        id: res.body.escalationId,
        kind: "customer",
        reason: "customer_request",
        status: "open",
        fromLevelId: levels.l1.id,
        toLevelId: levels.l2.id,
        toTeamId: teams.billing.id,
        requestedById: agents.alice.id,
      });
      expect(e.note).toContain(REASON);
      expect(e.note).toContain(note);
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l2.id, teamId: teams.billing.id, status: "open" });

      // The customer sees the answer in the request and on the public timeline, but not the internal escalation.
      expect(await r.requestsOf(t.id, dave.caller)).toEqual([res.body]);
      const seen = await timeline(t.id, dave.caller);
      expect(requestEvents(seen).map((x) => [x.type, x.visibility, x.data])).toEqual([
        ["escalation_request.created", "public", { requestId: req.id, reason: REASON }],
        ["escalation_request.accepted", "public", { requestId: req.id, answer: note, level: "L2" }],
      ]);
      expect(seen.map((x) => x.type)).not.toContain("escalation.created");
      expect((await timeline(t.id)).map((x) => x.type)).toContain("escalation.created");
      expect(await r.outboxOf(t.id)).toEqual(["escalation_request.created", "escalation_request.accepted"]);
    });

    it("escalates to a named team on a higher level or to a specialist team, without a note", async () => {
      const dave = await r.newCustomer();
      for (const team of [teams.management, teams.technical]) {
        const t = await r.openAs(dave);
        h.clock.advance(MIN_AGE);
        const req = await r.requested(t.id, dave.caller);
        const res = await r.accept(req.id, as.lena, { toTeamId: team.id });
        expect(res.status, res.text).toBe(200);
        expect(res.body.answer).toBeNull();
        expect(await ticket(t.id)).toMatchObject({ teamId: team.id, levelId: team.levelId });
        const [e] = await escalations(t.id);
        expect(e).toMatchObject({ kind: "customer", toTeamId: team.id });
        expect(e.note).toBe(`Customer's escalation request: ${REASON}`);
      }
    });

    it("refuses a target that is the current team, on a lower level and not a specialist team, or unknown — writing nothing", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      // Staff have already taken it to Management (L3).
      await r.escalate(t.id, { kind: "hierarchical", toTeamId: teams.management.id, reason: "complaint", note: HANDOVER });
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      const before = await r.stateOf(t.id);
      for (const toTeamId of [teams.management.id, teams.frontline.id]) {
        const res = await r.accept(req.id, as.mark, { toTeamId, note: "Taking this one further." });
        expectProblem(res, 422, "escalation_target_invalid");
        expect(res.body.errors.map((x: Json) => x.path)).toEqual(["body.toTeamId"]);
      }
      expectProblem(await r.accept(req.id, as.mark, { toTeamId: UNKNOWN_ID }), 404, "team_not_found");
      expectProblem(await r.accept(req.id, as.mark), 409, "no_higher_level");
      expectInvalid(await r.accept(req.id, as.mark, { toTeamId: "billing" }), ["body.toTeamId"]);
      expect(await r.stateOf(t.id)).toEqual(before);
      // A specialist team below is still a valid target (functional help), and the request can still be answered.
      expect((await r.accept(req.id, as.mark, { toTeamId: teams.billing.id })).status).toBe(200);
    });

    it("answers an open request when the ticket is resolved meanwhile, telling the customer; it can then no longer be accepted", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      await patch(t.id, { status: "resolved" });
      const [mine] = await r.requestsOf(t.id, dave.caller);
      expect(mine).toMatchObject({ id: req.id, status: "declined", answer: expect.stringMatching(/^Your ticket was resolved before your request was answered/) });
      expect(requestEvents(await timeline(t.id)).map((e) => e.type)).toEqual(["escalation_request.created", "escalation_request.declined"]);
      expect(await r.outboxOf(t.id)).toEqual(["escalation_request.created", "escalation_request.declined"]);
      const before = await r.stateOf(t.id);
      expectProblem(await r.accept(req.id, as.alice), 409, "escalation_request_decided");
      expectProblem(await r.decline(req.id, as.alice), 409, "escalation_request_decided");
      expect(await r.stateOf(t.id)).toEqual(before);
    });
  });

  describe("POST /escalation-requests/{id}/decline", () => {
    it("declines with a reason the customer reads; the ticket stays where it is", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      const ticketBefore = await ticket(t.id);
      h.clock.advance(MINUTE);
      const res = await r.decline(req.id, as.alice, `  ${DECLINE}  `);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: req.id, status: "declined", answer: DECLINE, decidedById: agents.alice.id, decidedAt: h.clock.now().toISOString(), escalationId: null });

      expect(await r.requestsOf(t.id, dave.caller)).toEqual([res.body]);
      expect(requestEvents(await timeline(t.id, dave.caller)).at(-1)).toMatchObject({
        type: "escalation_request.declined",
        visibility: "public",
        actorType: "agent",
        data: { requestId: req.id, answer: DECLINE },
      });
      expect(await ticket(t.id)).toEqual(ticketBefore);
      expect(await escalations(t.id)).toEqual([]);
      expect(await r.outboxOf(t.id)).toEqual(["escalation_request.created", "escalation_request.declined"]);
    });

    it("requires a reason of at least 10 characters", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      const before = await r.stateOf(t.id);
      expectInvalid(await r.decline(req.id, as.alice, "  No.  "), ["body.reason"]);
      expectInvalid(await send(as.alice, "POST", `/escalation-requests/${req.id}/decline`, {}), ["body.reason"]);
      expect(await r.stateOf(t.id)).toEqual(before);
    });
  });

  describe("answering", () => {
    it("refuses a second answer with 409 escalation_request_decided, whichever came first", async () => {
      const dave = await r.newCustomer();
      const a = await r.openAs(dave);
      const b = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const declined = await r.requested(a.id, dave.caller);
      const accepted = await r.requested(b.id, dave.caller);
      expect((await r.decline(declined.id, as.alice)).status).toBe(200);
      expect((await r.accept(accepted.id, as.alice)).status).toBe(200);
      const before = [await r.stateOf(a.id), await r.stateOf(b.id)];
      for (const [id, who] of [
        [declined.id, as.alice],
        [accepted.id, as.admin],
      ] as const) {
        expectProblem(await r.accept(id, who), 409, "escalation_request_decided");
        expectProblem(await r.decline(id, who), 409, "escalation_request_decided");
      }
      expect([await r.stateOf(a.id), await r.stateOf(b.id)]).toEqual(before);
    });

    it("accepts exactly one of an accept and a decline sent at once", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      // The decline comes from a manager, who still sees the ticket after an acceptance moved it to Billing.
      const results = await Promise.all([r.accept(req.id, as.alice), r.decline(req.id, as.mark)]);
      expect(results.map((x) => x.status).sort()).toEqual([200, 409]);
      const [final] = await r.requestsOf(t.id);
      expect(final.status).toBe(results[0]!.status === 200 ? "accepted" : "declined");
      expect(await escalations(t.id)).toHaveLength(final.status === "accepted" ? 1 : 0);
    });

    it("lets only staff who can see the ticket answer: customers 403, other teams and unknown ids 404", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      expectProblem(await r.accept(req.id, dave.caller), 403, "forbidden");
      expectProblem(await r.decline(req.id, dave.caller), 403, "forbidden");
      expectProblem(await r.accept(req.id, as.bob), 404, "escalation_request_not_found");
      expectProblem(await r.decline(req.id, as.tina), 404, "escalation_request_not_found");
      expectProblem(await r.accept(UNKNOWN_ID, as.admin), 404, "escalation_request_not_found");
      expect((await r.requestsOf(t.id))[0].status).toBe("open");
    });
  });

  describe("GET lists", () => {
    it("shows staff the open requests on the tickets they can see, page by page", async () => {
      const dave = await r.newCustomer();
      const frontlineTickets = [await r.openAs(dave), await r.openAs(dave), await r.openAs(dave)];
      h.clock.advance(MIN_AGE);
      const made: Json[] = [];
      for (const t of frontlineTickets) {
        made.push(await r.requested(t.id, dave.caller));
        h.clock.advance(MINUTE);
      }
      // One is answered (and so leaves the open list): accepted, it moves the ticket to Billing.
      expect((await r.accept(made[2].id, as.alice, { toTeamId: h.org.teams.billing.id })).status).toBe(200);
      const ids = (list: Json[]) => list.map((x) => x.id).filter((id: string) => made.some((m) => m.id === id));

      expect(ids(await all(as.alice, "/escalation-requests?status=open", 1))).toEqual([made[0].id, made[1].id]);
      expect(ids(await all(as.mark, "/escalation-requests?status=open"))).toEqual([made[0].id, made[1].id]);
      expect(ids(await all(as.alice, "/escalation-requests?status=accepted"))).toEqual([made[2].id]);
      expect(ids(await all(as.alice, "/escalation-requests"))).toEqual(made.map((m) => m.id));
      // Bob (Billing) sees only the accepted one, whose ticket is now with his team.
      expect(ids(await all(as.bob, "/escalation-requests?status=open"))).toEqual([]);
      expect(ids(await all(as.bob, "/escalation-requests"))).toEqual([made[2].id]);

      expectProblem(await send(dave.caller, "GET", "/escalation-requests"), 403, "forbidden");
      expectInvalid(await send(as.alice, "GET", "/escalation-requests?status=pending"), ["querystring.status"]);
      expectInvalid(await send(as.alice, "GET", "/escalation-requests?cursor=nonsense"), ["querystring.cursor"]);
    });

    it("shows a ticket's requests to its customer and to staff who can see it, not to others", async () => {
      const dave = await r.newCustomer();
      const t = await r.openAs(dave);
      h.clock.advance(MIN_AGE);
      const req = await r.requested(t.id, dave.caller);
      for (const who of [dave.caller, as.alice, as.mark]) expect((await r.requestsOf(t.id, who)).map((x) => x.id)).toEqual([req.id]);
      expectProblem(await send(as.bob, "GET", `/tickets/${t.id}/escalation-requests`), 404, "ticket_not_found");
      expectProblem(await send(as.admin, "GET", `/tickets/${UNKNOWN_ID}/escalation-requests`), 404, "ticket_not_found");
    });
  });

  it("keeps the stored rows consistent: one open request per ticket, answers recorded", async () => {
    const open = await h.store.db
      .select({ ticketId: escalationRequests.ticketId, n: sql<number>`count(*)::int` })
      .from(escalationRequests)
      .where(eq(escalationRequests.status, "open"))
      .groupBy(escalationRequests.ticketId);
    expect(open.every((row) => row.n === 1)).toBe(true);
    const decided = await h.store.db.select().from(escalationRequests).where(sql`${escalationRequests.status} <> 'open'`);
    expect(decided.length).toBeGreaterThan(0);
    for (const row of decided) {
      expect(row.decidedAt).not.toBeNull();
      expect(row.decidedById).not.toBeNull();
      expect(row.escalationId === null).toBe(row.status === "declined");
    }
  });
});

describe("escalation request guardrails are configurable", async () => {
  const h = await startHarness({ TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES: "0", TIERLINE_CUSTOMER_ESCALATION_DAILY_LIMIT: "1" });
  const r = requestApi(h);

  it("takes a request at once with no minimum age, and only one a day", async () => {
    const dave = await r.newCustomer();
    const a = await r.openAs(dave);
    const b = await r.openAs(dave);
    await r.requested(a.id, dave.caller);
    expectProblem(await r.request(b.id, dave.caller), 429, "escalation_request_limit_reached");
  });

  it("rejects bad values at start-up", () => {
    for (const env of [
      { TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES: "-5" },
      { TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES: "soon" },
      { TIERLINE_CUSTOMER_ESCALATION_DAILY_LIMIT: "0" },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
    expect(loadConfig({})).toMatchObject({ customerEscalationMinAgeMinutes: 240, customerEscalationDailyLimit: 3 });
  });
});
