import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadlines } from "../../db/schema.js";
import { outboxOf, ROLE_LIMITS, useRoleLimits, writesOf } from "../../test-support/authority.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";
import { ticketApi, type Caller } from "../../test-support/ticket-api.js";

const MINUTE = 60_000;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const NOTE = "Charged twice for November; refunding the duplicate charge.";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const typesOf = (events: Json[]) => events.map((e) => e.type);

describe("resolutions API", async () => {
  // A decision time other than the default, to show the setting is used.
  const h = await startHarness({ TIERLINE_APPROVAL_TIMEOUT_MINUTES: "90" });
  const { agents, teams, customers } = h.org;
  const api = ticketApi(h);
  const { as, send, openTicket, escalate, all, timeline, signIn } = api;
  const carol = await signIn("carol@customer.test");
  await useRoleLimits(api);

  const grant = (ticketId: string, body: Record<string, unknown>, who: Caller = as.alice) =>
    send(who, "POST", `/tickets/${ticketId}/resolutions`, { type: "refund", currency: "EUR", note: NOTE, ...body });
  /** A new agent in Frontline with their own limits, signed in. */
  async function hireAgent(name: string, authorityLimits: Record<string, unknown>): Promise<{ id: string; caller: Caller }> {
    const email = `${name.toLowerCase()}-${Date.now()}@support.test`;
    const res = await send(as.admin, "POST", "/agents", { email, name, role: "agent", teamIds: [teams.frontline.id], password: TEST_PASSWORD, authorityLimits });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id, caller: await signIn(email) };
  }

  describe("GET|PUT /authority-limits", () => {
    it("shows the role defaults to any staff member, by role then type", async () => {
      for (const who of [as.alice, as.lena, as.mark, as.admin]) {
        const res = await send(who, "GET", "/authority-limits");
        expect(res.status, res.text).toBe(200);
        expect(res.body).toEqual(ROLE_LIMITS);
      }
    });

    it("lets only admins replace them (403 for others, nothing changed)", async () => {
      for (const who of [as.alice, as.lena, as.mark]) {
        expectProblem(await send(who, "PUT", "/authority-limits", []), 403, "forbidden");
      }
      expectProblem(await send(carol, "GET", "/authority-limits"), 403, "forbidden");
      expect((await send(as.admin, "GET", "/authority-limits")).body).toEqual(ROLE_LIMITS);
    });

    it("replaces the whole set, normalising currency codes", async () => {
      const res = await send(as.admin, "PUT", "/authority-limits", [
        { role: "manager", type: "goodwill", amount: 75.5, currency: "gbp" },
        { role: "agent", type: "credit", amount: 0, currency: "EUR" },
      ]);
      expect(res.status, res.text).toBe(200);
      const expected = [
        { role: "agent", type: "credit", amount: 0, currency: "EUR" },
        { role: "manager", type: "goodwill", amount: 75.5, currency: "GBP" },
      ];
      expect(res.body).toEqual(expected);
      expect((await send(as.alice, "GET", "/authority-limits")).body).toEqual(expected);
      await useRoleLimits(api);
    });

    it("rejects bad limits with 400 naming each failing entry, and changes nothing", async () => {
      const ok = { role: "agent", type: "refund", amount: 10, currency: "EUR" };
      const put = (body: unknown) => send(as.admin, "PUT", "/authority-limits", body);
      expectInvalid(await put([{ ...ok, amount: -1 }]), ["body.0.amount"]);
      expectInvalid(await put([ok, { ...ok, role: "lead", currency: "EURO" }]), ["body.1.currency"]);
      expectInvalid(await put([{ ...ok, currency: "XYZ" }]), ["body.0.currency"]);
      expectInvalid(await put([{ ...ok, type: "cash" }]), ["body.0.type"]);
      expectInvalid(await put([{ ...ok, role: "boss" }]), ["body.0.role"]);
      expectInvalid(await put([ok, { ...ok, amount: 20 }]), ["body.1.type"]);
      expectInvalid(await put({ limits: [ok] }), ["body"]);
      expect((await send(as.admin, "GET", "/authority-limits")).body).toEqual(ROLE_LIMITS);
    });
  });

  describe("POST /tickets/{id}/resolutions", () => {
    it("applies a resolution within the caller's limit; the customer sees what was granted, not the note", async () => {
      const t = await openTicket({ customerId: customers.carol.id });
      h.clock.advance(MINUTE);
      const res = await grant(t.id, { amount: 40 });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        ticketId: t.id,
        type: "refund",
        amount: 40,
        currency: "EUR",
        note: NOTE,
        status: "applied",
        requestedById: agents.alice.id,
        createdAt: h.clock.now().toISOString(),
        appliedAt: h.clock.now().toISOString(),
        approval: null,
      });

      const staffView = await timeline(t.id);
      expect(staffView.at(-1)).toMatchObject({
        type: "resolution.applied",
        visibility: "public",
        actorType: "agent",
        actorId: agents.alice.id,
        data: { resolutionId: res.body.id, type: "refund", amount: 40, currency: "EUR" },
      });
      const customerView = await timeline(t.id, carol);
      const granted = customerView.filter((e) => e.type === "resolution.applied");
      expect(granted).toHaveLength(1);
      expect(granted[0].data).toEqual({ resolutionId: res.body.id, type: "refund", amount: 40, currency: "EUR" });
      expect(JSON.stringify(customerView)).not.toContain(NOTE);
      expect(await outboxOf(h, "resolution.applied", t.id)).toEqual([{ ticketId: t.id, resolutionId: res.body.id, type: "refund", amount: 40, currency: "EUR" }]);
      expect(await h.store.db.select().from(deadlines).where(eq(deadlines.ticketId, t.id)).then((rows) => rows.filter((d) => d.approvalId))).toEqual([]);
    });

    it("applies an amount exactly at the limit, in cents", async () => {
      // Each on its own ticket: limits apply to the sum on a ticket.
      expect((await grant((await openTicket()).id, { amount: 50 })).body.status).toBe("applied");
      expect((await grant((await openTicket()).id, { amount: 49.99 })).body.status).toBe("applied");
      expect((await grant((await openTicket()).id, { amount: 50.01 })).body.status).toBe("pending_approval");
      const t = await openTicket();
      expect((await grant(t.id, { amount: 0.1 })).body.status).toBe("applied");
      expect((await grant(t.id, { amount: 49.9 })).body.status).toBe("applied");
      expect((await grant(t.id, { amount: 0.01 })).body.status).toBe("pending_approval");
    });

    it("sends a request above the limit to the lowest-ranked person whose limit covers it (80 EUR: the lead)", async () => {
      const t = await openTicket({ customerId: customers.carol.id });
      h.clock.advance(MINUTE);
      const now = h.clock.now();
      const res = await grant(t.id, { amount: 80 });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ status: "pending_approval", appliedAt: null, amount: 80 });
      expect(res.body.approval).toEqual({
        id: expect.any(String),
        ticketId: t.id,
        resolutionId: res.body.id,
        approverId: agents.lena.id,
        status: "pending",
        reason: null,
        requestedAt: now.toISOString(),
        decidedAt: null,
        dueAt: new Date(now.getTime() + 90 * MINUTE).toISOString(),
        grantedBefore: { currency: "EUR", amount: 0, applied: 0, pending: 0, grants: [] },
      });

      // The deadline the engine escalates an undecided approval by.
      const rows = await h.store.db.select().from(deadlines).where(eq(deadlines.approvalId, res.body.approval.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ ticketId: t.id, stepKey: "approval", dueAt: new Date(now.getTime() + 90 * MINUTE), firedAt: null });
      expect(rows[0]!.payload).toMatchObject({ type: "approval" });

      const requested = (await timeline(t.id)).filter((e) => e.type === "approval.requested");
      expect(requested).toHaveLength(1);
      expect(requested[0]).toMatchObject({
        visibility: "internal",
        actorId: agents.alice.id,
        data: { approvalId: res.body.approval.id, resolutionId: res.body.id, amount: 80, currency: "EUR", note: NOTE, approverId: agents.lena.id, requesterLimit: { amount: 50, currency: "EUR" } },
      });
      expect(typesOf(await timeline(t.id, carol))).not.toContain("approval.requested");
      expect(await outboxOf(h, "approval.requested", t.id)).toEqual([
        { ticketId: t.id, approvalId: res.body.approval.id, resolutionId: res.body.id, approverId: agents.lena.id, requestedById: agents.alice.id, dueAt: res.body.approval.dueAt,
          grantedBefore: { currency: "EUR", amount: 0, applied: 0, pending: 0, grants: [] } },
      ]);
      expect(await outboxOf(h, "resolution.applied", t.id)).toEqual([]);
    });

    it("skips people whose limit is too low: 400 EUR goes to the manager, a lead's 150 EUR too", async () => {
      // Each on its own ticket: limits apply to the sum on a ticket.
      const fresh = async () => (await openTicket()).id;
      expect((await grant(await fresh(), { amount: 400 })).body.approval.approverId).toBe(agents.mark.id);
      expect((await grant(await fresh(), { amount: 150 }, as.lena)).body.approval.approverId).toBe(agents.mark.id);
      expect((await grant(await fresh(), { amount: 501 }, as.lena)).body.approval.approverId).toBe(agents.admin.id);
      // A lead's own credit limit covers it: applied. The lead's role limit answers Alice's credit.
      expect((await grant(await fresh(), { type: "credit", amount: 150 }, as.lena)).body.status).toBe("applied");
      expect((await grant(await fresh(), { type: "credit", amount: 150 })).body.approval.approverId).toBe(agents.lena.id);
    });

    it("uses an agent's own limit over the role's, and a limit in another currency covers nothing", async () => {
      // Uma's own refund limit is in USD: it replaces the role's 50 EUR, so even 30 EUR needs an approval —
      // from the lowest-ranked person it is within the limit of: a fellow agent, Alice.
      const uma = await hireAgent("Uma", { refund: { amount: 1000, currency: "USD" } });
      const t = await openTicket();
      const eur = await grant(t.id, { amount: 30 }, uma.caller);
      expect(eur.body).toMatchObject({ status: "pending_approval", approval: { approverId: agents.alice.id } });
      expect((await grant(t.id, { amount: 900, currency: "usd" }, uma.caller)).body).toMatchObject({ status: "applied", currency: "USD" });
      // Alice's 50 EUR does not cover 30 USD; nobody's EUR limit does; Uma's USD limit does.
      const usd = await grant(t.id, { amount: 30, currency: "USD" });
      expect(usd.body).toMatchObject({ status: "pending_approval", approval: { approverId: uma.id } });
      // Olga's own goodwill limit: there is no role default for goodwill.
      const olga = await hireAgent("Olga", { goodwill: { amount: 300, currency: "EUR" } });
      expect((await grant(t.id, { type: "goodwill", amount: 250 }, olga.caller)).body.status).toBe("applied");
    });

    it("answers 422 no_approver when nobody's limit covers it, and writes nothing", async () => {
      const t = await openTicket();
      const before = await writesOf(h, t.id);
      expectProblem(await grant(t.id, { amount: 5000.01 }), 422, "no_approver");
      expectProblem(await grant(t.id, { type: "replacement", amount: 1 }), 422, "no_approver");
      expectProblem(await grant(t.id, { amount: 10, currency: "JPY" }), 422, "no_approver");
      // The admin's own 5000 is the top: above it nobody else can approve either.
      expectProblem(await grant(t.id, { amount: 6000 }, as.admin), 422, "no_approver");
      expect(await writesOf(h, t.id)).toEqual(before);
    });

    it("rejects bad input with 400 naming each failing field, and writes nothing", async () => {
      const t = await openTicket();
      const before = await writesOf(h, t.id);
      expectInvalid(await grant(t.id, { amount: -10 }), ["body.amount"]);
      expectInvalid(await grant(t.id, { amount: 0 }), ["body.amount"]);
      expectInvalid(await grant(t.id, { amount: 10.005 }), ["body.amount"]);
      expectInvalid(await grant(t.id, { amount: "10" }), ["body.amount"]);
      expectInvalid(await grant(t.id, { amount: 10, currency: "EURO" }), ["body.currency"]);
      expectInvalid(await grant(t.id, { amount: 10, currency: "ABC" }), ["body.currency"]);
      expectInvalid(await grant(t.id, { amount: 10, type: "cash" }), ["body.type"]);
      expectInvalid(await grant(t.id, { amount: 10, note: "   " }), ["body.note"]);
      expectInvalid(await send(as.alice, "POST", `/tickets/${t.id}/resolutions`, {}), ["body.type", "body.amount", "body.currency", "body.note"]);
      expectInvalid(await send(as.alice, "POST", "/tickets/not-a-uuid/resolutions", { type: "refund", amount: 10, currency: "EUR", note: NOTE }), ["params.id"]);
      expect(await writesOf(h, t.id)).toEqual(before);
    });

    it("forbids customers, even on their own ticket (403), and writes nothing", async () => {
      const t = await openTicket({ customerId: customers.carol.id });
      const before = await writesOf(h, t.id);
      expectProblem(await grant(t.id, { amount: 10 }, carol), 403, "forbidden");
      expect(await writesOf(h, t.id)).toEqual(before);
    });

    it("answers 404 for a ticket the caller cannot see or that does not exist", async () => {
      const t = await openTicket();
      expectProblem(await grant(t.id, { amount: 10 }, as.tina), 404, "ticket_not_found");
      expectProblem(await grant(UNKNOWN_ID, { amount: 10 }), 404, "ticket_not_found");
      expect((await writesOf(h, t.id)).resolutions).toBe(0);
    });

    it("refuses a closed ticket with 409 ticket_closed", async () => {
      const t = await openTicket();
      await api.patch(t.id, { status: "closed" });
      expectProblem(await grant(t.id, { amount: 10 }), 409, "ticket_closed");
      expect((await writesOf(h, t.id)).resolutions).toBe(0);
    });

    it("lets the approver read a ticket outside their teams while the approval is theirs", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      expectProblem(await send(as.lena, "GET", `/tickets/${t.id}`), 404, "ticket_not_found");
      // Bob works the ticket now (Billing); Alice, who handed it over, no longer grants on it.
      expectProblem(await grant(t.id, { amount: 80 }), 403, "forbidden");
      const res = await grant(t.id, { amount: 80 }, as.bob);
      expect(res.body.approval.approverId).toBe(agents.lena.id);
      expect((await send(as.lena, "GET", `/tickets/${t.id}`)).status).toBe(200);
    });
  });

  describe("GET /tickets/{id}/resolutions", () => {
    it("lists a ticket's resolutions with their approvals, oldest first, page by page", async () => {
      const t = await openTicket();
      const ids: string[] = [];
      for (const amount of [10, 80, 20]) {
        h.clock.advance(MINUTE);
        ids.push((await grant(t.id, { amount })).body.id);
      }
      const listed = await all(as.alice, `/tickets/${t.id}/resolutions`, 1);
      expect(listed.map((r) => r.id)).toEqual(ids);
      // The 20 would make 110 with the pending 80: it waits too (limits apply to the sum on the ticket).
      expect(listed.map((r) => r.status)).toEqual(["applied", "pending_approval", "pending_approval"]);
      expect(listed[1].approval).toMatchObject({ approverId: agents.lena.id, status: "pending" });
      expect(listed[0].approval).toBeNull();
    });

    it("is staff only (403 for the customer) and hides tickets the caller cannot see (404)", async () => {
      const t = await openTicket({ customerId: customers.carol.id });
      expectProblem(await send(carol, "GET", `/tickets/${t.id}/resolutions`), 403, "forbidden");
      expectProblem(await send(as.tina, "GET", `/tickets/${t.id}/resolutions`), 404, "ticket_not_found");
    });
  });

  describe("limits apply to the sum granted on a ticket (issue 9 item 11)", () => {
    const applied = async (ticketId: string, amount: number, who: Caller, type = "refund") => {
      const res = await grant(ticketId, { amount, type }, who);
      expect(res.status, res.text).toBe(201);
      return res.body;
    };

    it("sends the grant that pushes the sum over the limit to approval, showing what was granted before", async () => {
      // Lena, a lead, may refund 100 EUR: 30 + 50 fit, the next 50 makes 130.
      const t = await openTicket();
      // A minute apart, so "oldest first" has an order to show.
      expect((await applied(t.id, 30, as.lena)).status).toBe("applied");
      h.clock.advance(MINUTE);
      expect((await applied(t.id, 50, as.lena)).status).toBe("applied");
      h.clock.advance(MINUTE);
      const third = await applied(t.id, 50, as.lena);
      expect(third.status).toBe("pending_approval");
      // The approver's limit covers the whole 130 (a manager's 500), not just this 50.
      expect(third.approval).toMatchObject({ approverId: agents.mark.id, grantedBefore: { currency: "EUR", amount: 80, applied: 80, pending: 0 } });
      expect(third.approval.grantedBefore.grants.map((g: Json) => [g.amount, g.status])).toEqual([[30, "applied"], [50, "applied"]]);
      const fourth = await applied(t.id, 50, as.lena);
      expect(fourth.status).toBe("pending_approval");
      expect(fourth.approval.grantedBefore).toMatchObject({ amount: 130, applied: 80, pending: 50 });

      // The approver's queue and the approval itself show it; so do the approval.requested notification and timeline.
      const queue = await all(as.mark, "/approvals?status=pending");
      expect(queue.find((a: Json) => a.id === third.approval.id).grantedBefore).toMatchObject({ amount: 80, applied: 80 });
      const requested = (await timeline(t.id)).filter((e: Json) => e.type === "approval.requested");
      expect(requested.map((e: Json) => e.data.grantedBefore.amount)).toEqual([80, 130]);
      const notified = await outboxOf(h, "approval.requested", t.id);
      expect(notified.map((o: Json) => o.grantedBefore.amount)).toEqual([80, 130]);
    });

    it("counts pending requests too, so two requests that each fit cannot both pass", async () => {
      // Alice may refund 50 EUR; a 60 waits for Lena; a 40 on top would make 100: it waits too.
      const t = await openTicket();
      expect((await applied(t.id, 60, as.alice)).status).toBe("pending_approval");
      const second = await applied(t.id, 40, as.alice);
      expect(second.status).toBe("pending_approval");
      expect(second.approval.grantedBefore).toMatchObject({ amount: 60, applied: 0, pending: 60 });
      // Lena, whose own 100 covers the 60 + 40, decides; another ticket starts from nothing.
      expect(second.approval.approverId).toBe(agents.lena.id);
      const other = await openTicket();
      expect((await applied(other.id, 40, as.alice)).status).toBe("applied");
    });

    it("keeps types and currencies apart, and does not count denied grants", async () => {
      const t = await openTicket();
      expect((await applied(t.id, 90, as.lena)).status).toBe("applied");
      // A credit has its own limit (200 for leads): 150 fits although 90 EUR were refunded.
      expect((await applied(t.id, 150, as.lena, "credit")).status).toBe("applied");
      const over = await applied(t.id, 20, as.lena);
      expect(over.status).toBe("pending_approval");
      const denied = await send(as.mark, "POST", `/approvals/${over.approval.id}/deny`, { reason: "Already refunded enough." });
      expect(denied.status, denied.text).toBe(200);
      // With the 20 denied, 90 + 10 fits the 100 again.
      expect((await applied(t.id, 10, as.lena)).status).toBe("applied");
      expect((await applied(t.id, 0.01, as.lena)).status).toBe("pending_approval");
    });
  });
});
