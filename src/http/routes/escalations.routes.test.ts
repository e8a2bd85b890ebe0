import { describe, expect, it } from "vitest";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { HANDOVER, ticketApi } from "../../test-support/ticket-api.js";

const MINUTE = 60_000;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const typesOf = (events: Json[]) => events.map((e) => e.type);
const fieldPaths = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

describe("escalations API", async () => {
  const h = await startHarness();
  const { agents, teams, levels } = h.org;
  const { as, send, openTicket, escalate, patch, ticket, timeline, escalations, signIn } = ticketApi(h);
  const carol = await signIn("carol@customer.test");

  const acknowledge = (escalationId: string, who: Json) => send(who, "POST", `/escalations/${escalationId}/acknowledge`);
  const deEscalate = (ticketId: string, who: Json, note = "Refund issued; back to frontline to confirm with the customer.") =>
    send(who, "POST", `/tickets/${ticketId}/de-escalate`, { note });
  /** Everything an escalation attempt could change, as the admin sees it. */
  const stateOf = async (ticketId: string) => ({
    ticket: await ticket(ticketId),
    escalations: await escalations(ticketId),
    events: await timeline(ticketId),
  });

  describe("POST /tickets/{id}/escalations", () => {
    it("escalates functionally to a specialist team with a handover note", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.alice.id });
      h.clock.advance(MINUTE);
      const res = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, {
        kind: "functional",
        toTeamId: teams.billing.id,
        reason: "authority_required",
        note: `  ${HANDOVER}  `,
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({
        ticketId: t.id,
        kind: "functional",
        status: "open",
        reason: "authority_required",
        note: HANDOVER,
        fromLevelId: levels.l1.id,
        fromTeamId: teams.frontline.id,
        fromAgentId: agents.alice.id,
        toLevelId: levels.l2.id,
        toTeamId: teams.billing.id,
        toAgentId: null,
        requestedById: agents.alice.id,
        requestedAt: h.clock.now().toISOString(),
        acknowledgedAt: null,
        acknowledgedById: null,
        closedAt: null,
        outcome: null,
        closingNote: null,
      });
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l2.id, teamId: teams.billing.id, assigneeId: null, status: "open" });
      expect(await escalations(t.id)).toEqual([res.body]);
      expect(typesOf(await timeline(t.id)).slice(-3)).toEqual(["escalation.created", "ticket.status_changed", "ticket.escalated"]);
    });

    it("hands the ticket to a named agent of the target team", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
      expect(e.toAgentId).toBe(agents.bob.id);
      expect((await ticket(t.id)).assigneeId).toBe(agents.bob.id);
    });

    it("refuses a functional escalation to a team that is not a specialist team, or to the current team", async () => {
      const t = await openTicket();
      for (const toTeamId of [teams.management.id, teams.frontline.id]) {
        const res = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { kind: "functional", toTeamId, reason: "needs_expertise", note: HANDOVER });
        expect(res.status, res.text).toBe(422);
        expect(res.body.code).toBe("escalation_target_invalid");
        expect(fieldPaths(res.body)).toEqual(["body.toTeamId"]);
      }
    });

    it("escalates hierarchically to the next level up: L1 → the less loaded L2 team (no owner of the category, no management or frontline team there), L2 → Management on L3", async () => {
      const t = await openTicket();
      const first = await escalate(t.id, { kind: "hierarchical", reason: "complaint" });
      // L2 has only specialist teams, Billing and Technical, neither owning the category: the one with fewer open tickets.
      expect(first).toMatchObject({ kind: "hierarchical", fromLevelId: levels.l1.id, toLevelId: levels.l2.id });
      expect([teams.billing.id, teams.technical.id]).toContain(first.toTeamId);
      const why = (await timeline(t.id)).find((e: Json) => e.type === "escalation.created").data.why;
      expect(why).toMatch(/^team of L2; lowest open load \d+$/);
      const specialist = first.toTeamId === teams.billing.id ? as.bob : as.tina;
      const second = await escalate(t.id, { kind: "hierarchical", reason: "complaint" }, specialist);
      expect(second).toMatchObject({ fromLevelId: levels.l2.id, fromTeamId: first.toTeamId, toLevelId: levels.l3.id, toTeamId: teams.management.id });
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l3.id, teamId: teams.management.id });
    });

    it("escalates hierarchically to a named team on a higher level", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "hierarchical", toTeamId: teams.management.id, reason: "legal_risk" });
      expect(e).toMatchObject({ toLevelId: levels.l3.id, toTeamId: teams.management.id });
    });

    it("refuses a hierarchical escalation to a team on the same or a lower level", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      for (const toTeamId of [teams.technical.id, teams.frontline.id]) {
        const res = await send(as.bob, "POST", `/tickets/${t.id}/escalations`, { kind: "hierarchical", toTeamId, reason: "complaint", note: HANDOVER });
        expect(res.status, res.text).toBe(422);
        expect(res.body.code).toBe("escalation_target_invalid");
      }
    });

    it("refuses to go above the highest level with 409 no_higher_level", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "hierarchical", toTeamId: teams.management.id });
      const res = await send(as.mark, "POST", `/tickets/${t.id}/escalations`, { kind: "hierarchical", reason: "complaint", note: HANDOVER });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("no_higher_level");
    });

    it.each([
      ["a functional escalation without a team", { toTeamId: undefined }, "body.toTeamId"],
      ["a note under 10 characters", { note: "  too short  " }, "body.note"],
      ["an unknown reason", { reason: "bored" }, "body.reason"],
      ["a kind the API does not take", { kind: "automatic" }, "body.kind"],
      ["a team id that is not a uuid", { toTeamId: "billing" }, "body.toTeamId"],
    ])("refuses %s with 400", async (_label, change, path) => {
      const t = await openTicket();
      const res = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, {
        kind: "functional",
        toTeamId: teams.billing.id,
        reason: "needs_expertise",
        note: HANDOVER,
        ...change,
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      expect(fieldPaths(res.body)).toContain(path);
    });

    it("refuses to escalate a resolved or closed ticket with 409 ticket_not_escalatable", async () => {
      for (const status of ["resolved", "closed"]) {
        const t = await openTicket();
        await patch(t.id, { status });
        const res = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { kind: "functional", toTeamId: teams.billing.id, reason: "needs_expertise", note: HANDOVER });
        expect(res.status, status).toBe(409);
        expect(res.body.code).toBe("ticket_not_escalatable");
      }
    });

    it("refuses a target agent outside the target team (422), an unknown agent (404) and an unknown team (404)", async () => {
      const t = await openTicket();
      const body = { kind: "functional", toTeamId: teams.billing.id, reason: "needs_expertise", note: HANDOVER };
      const outsider = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { ...body, toAgentId: agents.tina.id });
      expect(outsider.status).toBe(422);
      expect(outsider.body.code).toBe("assignee_not_in_team");
      const unknownAgent = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { ...body, toAgentId: UNKNOWN_ID });
      expect(unknownAgent.status).toBe(404);
      expect(unknownAgent.body.code).toBe("agent_not_found");
      const unknownTeam = await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { ...body, toTeamId: UNKNOWN_ID });
      expect(unknownTeam.status).toBe(404);
      expect(unknownTeam.body.code).toBe("team_not_found");
      const unknownTicket = await send(as.alice, "POST", `/tickets/${UNKNOWN_ID}/escalations`, body);
      expect(unknownTicket.status).toBe(404);
      expect(unknownTicket.body.code).toBe("ticket_not_found");
    });

    it("writes nothing when an escalation fails", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.alice.id });
      const active = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
      const before = await stateOf(t.id);
      const base = { reason: "needs_expertise", note: HANDOVER };
      const failures = [
        { kind: "functional", toTeamId: teams.technical.id, toAgentId: agents.bob.id, ...base }, // 422: Bob is not in Technical
        { kind: "functional", toTeamId: teams.technical.id, toAgentId: UNKNOWN_ID, ...base }, // 404
        { kind: "functional", toTeamId: teams.management.id, ...base }, // 422: not a specialist team
        { kind: "hierarchical", toTeamId: teams.frontline.id, ...base }, // 422: lower level
        { kind: "functional", toTeamId: UNKNOWN_ID, ...base }, // 404
        { kind: "functional", toTeamId: teams.technical.id, reason: "needs_expertise", note: "short" }, // 400
      ];
      for (const body of failures) {
        h.clock.advance(MINUTE);
        const res = await send(as.bob, "POST", `/tickets/${t.id}/escalations`, body);
        expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      }
      expect(await stateOf(t.id)).toEqual(before);
      expect(before.escalations).toEqual([active]);
    });

    it("closes the active escalation with outcome escalated_further when the ticket escalates again", async () => {
      const t = await openTicket();
      const first = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      h.clock.advance(MINUTE);
      const second = await escalate(t.id, { kind: "functional", toTeamId: teams.technical.id, reason: "security" }, as.bob);
      expect(second).toMatchObject({ fromTeamId: teams.billing.id, toTeamId: teams.technical.id, status: "open", requestedById: agents.bob.id });
      const list = await escalations(t.id);
      expect(list.map((e) => e.id)).toEqual([first.id, second.id]);
      expect(list[0]).toMatchObject({ status: "closed", outcome: "escalated_further", closedAt: h.clock.now().toISOString() });
      const events = await timeline(t.id);
      expect(typesOf(events).slice(-3)).toEqual(["escalation.closed", "escalation.created", "ticket.escalated"]);
      expect(events.at(-3).data).toEqual({ escalationId: first.id, outcome: "escalated_further" });
    });

    it("applies escalations of one ticket sent at once one after the other: one stays active", async () => {
      const t = await openTicket();
      const results = await Promise.all(
        [teams.billing.id, teams.technical.id, teams.management.id].map((toTeamId, i) =>
          send(as.admin, "POST", `/tickets/${t.id}/escalations`, { kind: i === 2 ? "hierarchical" : "functional", toTeamId, reason: "outage", note: HANDOVER }),
        ),
      );
      // Each one sees the ticket as the previous one left it (the ticket row is locked), so each supersedes the last.
      expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
      const list = await escalations(t.id);
      expect(list).toHaveLength(3);
      expect(list.filter((e) => e.status !== "closed")).toHaveLength(1);
      expect(list.filter((e) => e.outcome === "escalated_further")).toHaveLength(2);
      const active = list.find((e) => e.status !== "closed");
      expect((await ticket(t.id)).teamId).toBe(active.toTeamId);
    });

    it("forbids customers to escalate and to read escalations", async () => {
      const t = await openTicket({}, carol);
      const res = await send(carol, "POST", `/tickets/${t.id}/escalations`, { kind: "hierarchical", reason: "customer_request", note: "I want to speak to a manager please." });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("forbidden");
      const list = await send(carol, "GET", `/tickets/${t.id}/escalations`);
      expect(list.status).toBe(403);
      expect(await escalations(t.id)).toEqual([]);
    });
  });

  describe("POST /escalations/{id}/acknowledge", () => {
    it("lets a member of the target team take the escalation over, and the unassigned ticket with it", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      h.clock.advance(5 * MINUTE);
      const res = await acknowledge(e.id, as.bob);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: e.id, status: "acknowledged", acknowledgedAt: h.clock.now().toISOString(), acknowledgedById: agents.bob.id, closedAt: null });
      expect((await ticket(t.id)).assigneeId).toBe(agents.bob.id);
      expect((await timeline(t.id)).at(-2)).toMatchObject({
        type: "escalation.acknowledged",
        visibility: "internal",
        actorId: agents.bob.id,
        data: { escalationId: e.id, waitedMs: 5 * MINUTE, assigneeId: { from: null, to: agents.bob.id } },
      });

      const again = await acknowledge(e.id, as.bob);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe("escalation_already_acknowledged");
    });

    it("accepts exactly one of two acknowledgements sent at once", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const [first, second] = await Promise.all([acknowledge(e.id, as.bob), acknowledge(e.id, as.mark)]);
      expect([first!.status, second!.status].sort()).toEqual([200, 409]);
      const events = await timeline(t.id);
      expect(typesOf(events).filter((x) => x === "escalation.acknowledged")).toHaveLength(1);
    });

    it("refuses an agent of another team (403 when they can see the ticket, 404 when they cannot)", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const requester = await acknowledge(e.id, as.alice);
      expect(requester.status).toBe(403);
      expect(requester.body.code).toBe("forbidden");
      const stranger = await acknowledge(e.id, as.tina);
      expect(stranger.status).toBe(404);
      expect(stranger.body.code).toBe("escalation_not_found");
      expect((await escalations(t.id))[0]).toMatchObject({ status: "open", acknowledgedAt: null });
    });

    it("lets a manager acknowledge without taking the ticket", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const res = await acknowledge(e.id, as.mark);
      expect(res.status, res.text).toBe(200);
      expect(res.body.acknowledgedById).toBe(agents.mark.id);
      expect((await ticket(t.id)).assigneeId).toBeNull();
    });

    it("refuses a lead who handed the ticket over: they still see it, but it is no longer their team's", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.lena.id });
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.technical.id });
      expect((await send(as.lena, "GET", `/tickets/${t.id}`)).status).toBe(200);
      const res = await acknowledge(e.id, as.lena);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toContain("acknowledge this escalation");
      expect((await escalations(t.id)).at(-1).status).toBe("open");
    });

    it("keeps the named agent as assignee", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
      expect((await acknowledge(e.id, as.mark)).status).toBe(200);
      expect((await ticket(t.id)).assigneeId).toBe(agents.bob.id);
    });

    it("answers 404 for an unknown escalation, 400 for a malformed id, 403 for a customer and 409 for a closed one", async () => {
      const unknown = await acknowledge(UNKNOWN_ID, as.admin);
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe("escalation_not_found");
      expect((await acknowledge("nope", as.admin)).status).toBe(400);

      const t = await openTicket({}, carol);
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const customer = await acknowledge(e.id, carol);
      expect(customer.status).toBe(403);
      expect(customer.body.code).toBe("forbidden");

      await patch(t.id, { status: "resolved" });
      const closed = await acknowledge(e.id, as.bob);
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe("escalation_closed");
    });
  });

  describe("POST /tickets/{id}/de-escalate", () => {
    it("hands the ticket back to the level, team and agent it came from", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.alice.id });
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      expect((await acknowledge(e.id, as.bob)).status).toBe(200);
      h.clock.advance(30 * MINUTE);
      const note = "Refund of 49 EUR issued; please confirm with the customer.";
      const res = await deEscalate(t.id, as.bob, `  ${note} `);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: e.id, status: "closed", outcome: "de_escalated", closingNote: note, closedAt: h.clock.now().toISOString() });
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l1.id, teamId: teams.frontline.id, assigneeId: agents.alice.id, status: "open" });
      expect((await timeline(t.id)).at(-2)).toMatchObject({
        type: "escalation.de_escalated",
        visibility: "internal",
        actorId: agents.bob.id,
        data: {
          escalationId: e.id,
          note,
          levelId: { from: levels.l2.id, to: levels.l1.id },
          teamId: { from: teams.billing.id, to: teams.frontline.id },
          assigneeId: { from: agents.bob.id, to: agents.alice.id },
        },
      });
    });

    it("leaves the ticket unassigned when nobody had it before the escalation", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
      expect((await deEscalate(t.id, as.bob)).status).toBe(200);
      expect(await ticket(t.id)).toMatchObject({ teamId: teams.frontline.id, assigneeId: null });
    });

    it("lets the agent who took the escalation over keep following the ticket after handing it back", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      expect((await acknowledge(e.id, as.bob)).status).toBe(200);
      expect((await deEscalate(t.id, as.bob)).status).toBe(200);
      expect((await send(as.bob, "GET", `/tickets/${t.id}`)).status).toBe(200);
      expect((await send(as.bob, "GET", `/tickets/${t.id}/escalations`)).body.data).toHaveLength(1);
    });

    it("hands a ticket escalated twice back to any team that held it, closing the escalations it passes over (issue 9 item 12)", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.alice.id });
      const toBilling = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      expect((await acknowledge(toBilling.id, as.bob)).status).toBe(200);
      h.clock.advance(MINUTE);
      const toManagement = await escalate(t.id, { kind: "hierarchical", toTeamId: teams.management.id, reason: "authority_required" }, as.bob);
      h.clock.advance(MINUTE);
      const note = "Goodwill approved; frontline can close this with the customer.";
      const res = await send(as.mark, "POST", `/tickets/${t.id}/de-escalate`, { note, toTeamId: teams.frontline.id });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: toManagement.id, status: "closed", outcome: "de_escalated", closingNote: note });
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l1.id, teamId: teams.frontline.id, assigneeId: agents.alice.id });
      expect((await escalations(t.id)).map((e: Json) => [e.id, e.status, e.outcome])).toEqual([
        [toBilling.id, "closed", "escalated_further"],
        [toManagement.id, "closed", "de_escalated"],
      ]);
      const event = (await timeline(t.id)).find((e: Json) => e.type === "escalation.de_escalated");
      expect(event.data).toMatchObject({ escalationId: toManagement.id, closedEscalationIds: [toManagement.id], note, teamId: { from: teams.management.id, to: teams.frontline.id } });
    });

    it("lets a specialist team hand a ticket back after acknowledging and the escalation closing", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.technical.id });
      expect((await acknowledge(e.id, as.tina)).status).toBe(200);
      await patch(t.id, { status: "resolved" }, as.tina);
      await patch(t.id, { status: "open" }, as.tina); // the customer came back: the escalation stays closed as resolved
      expect((await escalations(t.id))[0]).toMatchObject({ status: "closed", outcome: "resolved" });
      const res = await deEscalate(t.id, as.tina, "Firmware fixed it; frontline to follow up next week.");
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: e.id, outcome: "resolved" });
      expect(await ticket(t.id)).toMatchObject({ levelId: levels.l1.id, teamId: teams.frontline.id });
      expect((await timeline(t.id)).at(-2)).toMatchObject({ type: "escalation.de_escalated", data: { closedEscalationIds: [] } });
    });

    it("refuses a team that never held the ticket (422 escalation_target_invalid), the current team (422) and an unknown team (404), writing nothing", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const before = await stateOf(t.id);
      const never = await send(as.bob, "POST", `/tickets/${t.id}/de-escalate`, { note: HANDOVER, toTeamId: teams.technical.id });
      expect(never.status, never.text).toBe(422);
      expect(never.body.code).toBe("escalation_target_invalid");
      expect(fieldPaths(never.body)).toEqual(["body.toTeamId"]);
      const current = await send(as.bob, "POST", `/tickets/${t.id}/de-escalate`, { note: HANDOVER, toTeamId: teams.billing.id });
      expect(current.body.code).toBe("escalation_target_invalid");
      const unknown = await send(as.bob, "POST", `/tickets/${t.id}/de-escalate`, { note: HANDOVER, toTeamId: UNKNOWN_ID });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe("team_not_found");
      const malformed = await send(as.bob, "POST", `/tickets/${t.id}/de-escalate`, { note: HANDOVER, toTeamId: "frontline" });
      expect(malformed.status).toBe(400);
      expect(fieldPaths(malformed.body)).toEqual(["body.toTeamId"]);
      expect(await stateOf(t.id)).toEqual(before);
    });

    it("refuses without an active escalation (409), with a short note (400), for a customer (403) and on a closed ticket (409)", async () => {
      const t = await openTicket({}, carol);
      const none = await deEscalate(t.id, as.alice);
      expect(none.status).toBe(409);
      expect(none.body.code).toBe("no_active_escalation");

      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      const short = await deEscalate(t.id, as.bob, "done");
      expect(short.status).toBe(400);
      expect(short.body.code).toBe("validation_failed");
      expect(fieldPaths(short.body)).toContain("body.note");
      const customer = await deEscalate(t.id, carol);
      expect(customer.status).toBe(403);
      expect(customer.body.code).toBe("forbidden");
      expect(await ticket(t.id)).toMatchObject({ teamId: teams.billing.id });

      await patch(t.id, { status: "closed" });
      const closed = await deEscalate(t.id, as.bob);
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe("ticket_closed");
    });
  });

  it("follows a chain: L1 → Billing (functional) → Management (hierarchical) → back to Billing", async () => {
    const t = await openTicket({}, carol);
    h.clock.advance(MINUTE);
    await patch(t.id, { assigneeId: agents.alice.id }, as.alice);
    h.clock.advance(MINUTE);
    const toBilling = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, reason: "needs_expertise" });
    h.clock.advance(MINUTE);
    expect((await acknowledge(toBilling.id, as.bob)).status).toBe(200);
    h.clock.advance(MINUTE);
    const toManagement = await escalate(t.id, { kind: "hierarchical", reason: "authority_required", note: "Refund of 900 EUR exceeds my authority." }, as.bob);
    expect(toManagement).toMatchObject({ fromTeamId: teams.billing.id, fromAgentId: agents.bob.id, toLevelId: levels.l3.id, toTeamId: teams.management.id });
    h.clock.advance(MINUTE);
    expect((await acknowledge(toManagement.id, as.mark)).status).toBe(200);
    expect(await ticket(t.id)).toMatchObject({ levelId: levels.l3.id, teamId: teams.management.id, assigneeId: agents.mark.id });
    h.clock.advance(MINUTE);
    const back = await deEscalate(t.id, as.mark, "Approved the 900 EUR refund; Billing can issue it.");
    expect(back.status, back.text).toBe(200);
    expect(await ticket(t.id)).toMatchObject({ levelId: levels.l2.id, teamId: teams.billing.id, assigneeId: agents.bob.id });

    const history = await escalations(t.id, as.bob);
    expect(history.map((e) => [e.kind, e.toTeamId, e.status, e.outcome])).toEqual([
      ["functional", teams.billing.id, "closed", "escalated_further"],
      ["hierarchical", teams.management.id, "closed", "de_escalated"],
    ]);
    expect(history[0]).toMatchObject({ acknowledgedById: agents.bob.id, fromAgentId: agents.alice.id });
    expect(history[1]).toMatchObject({ acknowledgedById: agents.mark.id, closingNote: "Approved the 900 EUR refund; Billing can issue it." });

    // Everyone on the way can still follow the ticket; the customer sees none of the escalation.
    for (const who of [as.alice, as.bob, as.mark]) expect((await send(who, "GET", `/tickets/${t.id}`)).status).toBe(200);
    expect(typesOf(await timeline(t.id))).toEqual([
      "ticket.created",
      "ticket.updated",
      "escalation.created",
      "ticket.status_changed",
      "ticket.escalated",
      "escalation.acknowledged",
      "ticket.taken_over",
      "escalation.closed",
      "escalation.created",
      "ticket.escalated",
      "escalation.acknowledged",
      "ticket.taken_over",
      "escalation.de_escalated",
      "ticket.handed_back",
    ]);
    // The customer sees where the request is, by name, and nothing internal.
    const seen = await timeline(t.id, carol);
    expect(typesOf(seen)).toEqual(["ticket.created", "ticket.status_changed", "ticket.escalated", "ticket.taken_over", "ticket.escalated", "ticket.taken_over", "ticket.handed_back"]);
    expect(seen.slice(1).map((e: Json) => e.data.text).filter(Boolean)).toEqual([
      "Your request is now with our Billing specialists.",
      "A specialist has taken it over.",
      "Your request is now with our Management team.",
      "A manager has taken it over.",
      "Your request is back with our Billing specialists.",
    ]);
    expect(seen[0].data.after).toMatchObject({ level: "L1", team: "Frontline" });
    const shown = JSON.stringify(seen);
    for (const secret of ["900 EUR", "authority", HANDOVER, agents.alice.id, agents.bob.id, agents.mark.id, teams.billing.id, levels.l1.id]) expect(shown).not.toContain(secret);
    // Nothing is active any more, but Billing may still hand the ticket back to the team it came from (issue 9 item 12).
    const again = await deEscalate(t.id, as.bob);
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ id: toBilling.id, outcome: "escalated_further" });
    expect(await ticket(t.id)).toMatchObject({ levelId: levels.l1.id, teamId: teams.frontline.id, assigneeId: agents.alice.id });
    expect((await deEscalate(t.id, as.alice)).body.code).toBe("no_active_escalation");
  });
});
