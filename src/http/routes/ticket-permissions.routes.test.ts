import { describe, expect, it } from "vitest";
import { useRoleLimits } from "../../test-support/authority.js";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { HANDOVER, ticketApi, type Caller } from "../../test-support/ticket-api.js";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOTE = "Refund confirmed by finance; back to frontline.";

/**
 * Who may change a ticket (issue 9, item 1): its current team's members and leads, its assignee, managers
 * and admins. Past participants still read it and add internal notes, nothing else.
 */
describe("ticket write permissions", async () => {
  const h = await startHarness();
  const { agents, teams } = h.org;
  const api = ticketApi(h);
  const { as, send, openTicket, escalate, patch, ticket, escalations, signIn } = api;
  await useRoleLimits(api);
  const carol = await signIn("carol@customer.test");

  /** Every way of working a ticket, each as one request. */
  const attempts = {
    priority: (id: string, who: Caller) => send(who, "PATCH", `/tickets/${id}`, { priority: "low" }),
    unassign: (id: string, who: Caller) => send(who, "PATCH", `/tickets/${id}`, { assigneeId: null }),
    tags: (id: string, who: Caller) => send(who, "PATCH", `/tickets/${id}`, { tags: ["vip"], subject: "Renamed", category: "billing" }),
    status: (id: string, who: Caller) => send(who, "PATCH", `/tickets/${id}`, { status: "pending" }),
    escalate: (id: string, who: Caller) => send(who, "POST", `/tickets/${id}/escalations`, { kind: "hierarchical", reason: "complaint", note: HANDOVER }),
    deEscalate: (id: string, who: Caller) => send(who, "POST", `/tickets/${id}/de-escalate`, { note: NOTE }),
    resolution: (id: string, who: Caller) =>
      send(who, "POST", `/tickets/${id}/resolutions`, { type: "refund", amount: 5, currency: "EUR", note: "Charged twice in November." }),
    publicReply: (id: string, who: Caller) => send(who, "POST", `/tickets/${id}/messages`, { kind: "public", body: "We are on it." }),
  };

  /** A ticket Alice held (assigned) and handed to Billing: Alice is now a past participant. */
  async function handedToBilling(): Promise<{ t: Json; e: Json }> {
    const t = await openTicket();
    await patch(t.id, { assigneeId: agents.alice.id });
    const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
    return { t, e };
  }

  /** What a refused request must leave untouched. */
  const stateOf = async (id: string) => ({ ticket: await ticket(id), escalations: await escalations(id) });

  describe("a past participant", () => {
    it.each(Object.keys(attempts) as (keyof typeof attempts)[])("is refused %s with 403 naming what was refused, and nothing changes", async (name) => {
      const { t } = await handedToBilling();
      expect((await send(as.alice, "GET", `/tickets/${t.id}`)).status).toBe(200);
      const before = await stateOf(t.id);
      const res = await attempts[name](t.id, as.alice);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toMatch(/^Only the ticket's current team, its assignee, managers and admins may .+; you may read it and add internal notes\.$/);
      expect(await stateOf(t.id)).toEqual(before);
      expect((await send(as.admin, "GET", `/tickets/${t.id}/resolutions`)).body.data).toEqual([]);
      expect((await send(as.admin, "GET", `/tickets/${t.id}/messages`)).body.data.filter((m: Json) => m.kind === "public")).toEqual([]);
    });

    it("names the refused action in the message", async () => {
      const { t } = await handedToBilling();
      expect((await attempts.escalate(t.id, as.alice)).body.detail).toContain("may escalate this ticket;");
      expect((await attempts.deEscalate(t.id, as.alice)).body.detail).toContain("may de-escalate this ticket;");
      expect((await attempts.priority(t.id, as.alice)).body.detail).toContain("may change this ticket;");
      expect((await attempts.publicReply(t.id, as.alice)).body.detail).toContain("may reply to the customer on this ticket;");
      expect((await attempts.resolution(t.id, as.alice)).body.detail).toContain("may grant a refund");
    });

    it("is refused acknowledging the escalation they handed over", async () => {
      const { t, e } = await handedToBilling();
      const res = await send(as.alice, "POST", `/escalations/${e.id}/acknowledge`);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toContain("acknowledge this escalation");
      expect((await escalations(t.id))[0].status).toBe("open");
    });

    it("still reads the ticket and adds internal notes", async () => {
      const { t } = await handedToBilling();
      const note = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { kind: "internal", body: "Customer prefers a call back." });
      expect(note.status, note.text).toBe(201);
      expect(note.body).toMatchObject({ kind: "internal", authorAgentId: agents.alice.id });
      expect((await send(as.alice, "GET", `/tickets/${t.id}/messages`)).status).toBe(200);
      expect((await send(as.alice, "GET", `/tickets/${t.id}/events`)).status).toBe(200);
    });

    it("applies to a lead too: a lead who escalated a ticket away no longer changes it", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.technical.id }, as.lena);
      expect((await send(as.lena, "GET", `/tickets/${t.id}`)).status).toBe(200);
      expectProblem(await attempts.priority(t.id, as.lena), 403, "forbidden");
      expectProblem(await attempts.escalate(t.id, as.lena), 403, "forbidden");
      expect((await ticket(t.id)).priority).toBe("normal");
    });
  });

  describe("the current team", () => {
    it("lets a member change, reply, grant, acknowledge and de-escalate", async () => {
      const { t, e } = await handedToBilling();
      const ack = await send(as.bob, "POST", `/escalations/${e.id}/acknowledge`);
      expect(ack.status, ack.text).toBe(200);
      for (const name of ["priority", "tags", "status", "publicReply", "resolution"] as const) {
        const res = await attempts[name](t.id, as.bob);
        expect(res.status, `${name}: ${res.text}`).toBeLessThan(300);
      }
      expect(await ticket(t.id)).toMatchObject({ priority: "low", subject: "Renamed", tags: ["vip"], teamId: teams.billing.id });
      const back = await attempts.deEscalate(t.id, as.bob);
      expect(back.status, back.text).toBe(200);
      expect((await ticket(t.id)).teamId).toBe(teams.frontline.id);
      // Handed back, the ticket is Frontline's again: Alice works it, Bob only reads it.
      expect((await attempts.priority(t.id, as.alice)).status).toBe(200);
      expectProblem(await attempts.priority(t.id, as.bob), 403, "forbidden");
    });

    it("lets a lead of the current team work a ticket assigned to someone else", async () => {
      const t = await openTicket();
      await patch(t.id, { assigneeId: agents.alice.id });
      expect((await attempts.priority(t.id, as.lena)).status).toBe(200);
      expect((await attempts.unassign(t.id, as.lena)).status).toBe(200);
      expect((await attempts.escalate(t.id, as.lena)).status).toBe(201);
    });

    it("does not let a member of another team see the ticket at all (404, as before)", async () => {
      const t = await openTicket();
      expectProblem(await attempts.priority(t.id, as.tina), 404, "ticket_not_found");
    });
  });

  describe("the assignee", () => {
    it("keeps working a ticket assigned to them after leaving its team", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: agents.bob.id });
      const moved = await send(as.admin, "PATCH", `/agents/${agents.bob.id}`, { teamIds: [teams.technical.id] });
      expect(moved.status, moved.text).toBe(200);
      const bob = await signIn(agents.bob.email);
      expect((await attempts.priority(t.id, bob)).status).toBe(200);
      await send(as.admin, "PATCH", `/agents/${agents.bob.id}`, { teamIds: [teams.billing.id] });
    });
  });

  describe("managers and admins", () => {
    it.each(["mark", "admin"] as const)("%s changes, escalates, de-escalates and grants on any ticket", async (who) => {
      const { t } = await handedToBilling();
      for (const name of ["priority", "publicReply", "resolution", "deEscalate", "escalate"] as const) {
        const res = await attempts[name](t.id, as[who]);
        expect(res.status, `${name}: ${res.text}`).toBeLessThan(300);
      }
    });
  });

  describe("a customer", () => {
    it("closes their own ticket", async () => {
      const t = await openTicket({}, carol);
      const res = await send(carol, "PATCH", `/tickets/${t.id}`, { status: "closed" });
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("closed");
      const events = (await send(carol, "GET", `/tickets/${t.id}/events`)).body.data as Json[];
      expect(events.at(-1)).toMatchObject({ type: "ticket.status_changed", data: { status: { from: "new", to: "closed" } } });
    });

    it.each([
      ["priority", { priority: "urgent" }],
      ["another status", { status: "resolved" }],
      ["closing with another change", { status: "closed", tags: ["vip"] }],
      ["the assignee", { assigneeId: null }],
    ])("is refused changing %s with 403, and nothing changes", async (_label, body) => {
      const t = await openTicket({}, carol);
      const before = await ticket(t.id);
      const res = await send(carol, "PATCH", `/tickets/${t.id}`, body);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toContain("A customer can only close their own ticket");
      expect(await ticket(t.id)).toEqual(before);
    });

    it("cannot close someone else's ticket (404)", async () => {
      const t = await openTicket();
      expectProblem(await send(carol, "PATCH", `/tickets/${t.id}`, { status: "closed" }), 404, "ticket_not_found");
      expect((await ticket(t.id)).status).toBe("new");
    });

    it("is refused escalating, de-escalating, granting and internal notes, and still writes messages", async () => {
      const t = await openTicket({}, carol);
      expectProblem(await attempts.escalate(t.id, carol), 403, "forbidden");
      expectProblem(await attempts.deEscalate(t.id, carol), 403, "forbidden");
      expectProblem(await attempts.resolution(t.id, carol), 403, "forbidden");
      const note = await send(carol, "POST", `/tickets/${t.id}/messages`, { kind: "internal", body: "Sneaky" });
      expectProblem(note, 403, "forbidden");
      const msg = await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Any news?" });
      expect(msg.status, msg.text).toBe(201);
    });
  });
});
