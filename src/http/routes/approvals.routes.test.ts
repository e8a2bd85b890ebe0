import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deadlines, tickets } from "../../db/schema.js";
import { SYSTEM } from "../../domain/principal.js";
import { fireApprovalTimeout } from "../../engine/fire-approval.js";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { SlaSession } from "../../sla/clocks.js";
import { outboxOf, useRoleLimits, writesOf } from "../../test-support/authority.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, type Caller } from "../../test-support/ticket-api.js";

const MINUTE = 60_000;
const TIMEOUT = 240 * MINUTE; // TIERLINE_APPROVAL_TIMEOUT_MINUTES' default
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const NOTE = "Courier lost the parcel twice; a refund above my limit is fair.";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const typesOf = (events: Json[]) => events.map((e) => e.type);

describe("approvals API", async () => {
  const h = await startHarness();
  const { agents, customers } = h.org;
  const api = ticketApi(h);
  const { as, send, openTicket, all, timeline, signIn } = api;
  const carol = await signIn("carol@customer.test");
  await useRoleLimits(api);

  /** Alice asks for a refund above her 50 EUR on a new ticket of Carol's; returns the ticket and the approval. */
  async function requestRefund(amount = 80, who: Caller = as.alice): Promise<{ ticket: Json; resolution: Json; approval: Json }> {
    const ticket = await openTicket({ customerId: customers.carol.id });
    h.clock.advance(MINUTE);
    const res = await send(who, "POST", `/tickets/${ticket.id}/resolutions`, { type: "refund", amount, currency: "EUR", note: NOTE });
    expect(res.status, res.text).toBe(201);
    expect(res.body.status).toBe("pending_approval");
    return { ticket, resolution: res.body, approval: res.body.approval };
  }
  const approve = (id: string, who: Caller, body?: unknown) => send(who, "POST", `/approvals/${id}/approve`, body);
  const deny = (id: string, who: Caller, body?: unknown) => send(who, "POST", `/approvals/${id}/deny`, body);
  const pendingIds = async (who: Caller, query = "") => (await all(who, `/approvals?status=pending${query}`)).map((a) => a.id);
  const unfiredDeadlines = (approvalId: string) =>
    h.store.db.select().from(deadlines).where(and(eq(deadlines.approvalId, approvalId), isNull(deadlines.firedAt)));

  /** Fires an approval's pending deadline the way the engine does, at `at`: in one transaction with the ticket locked. */
  async function fireTimeout(approvalId: string, at: Date) {
    return h.store.db.transaction(async (tx) => {
      const [deadline] = await tx.select().from(deadlines).where(and(eq(deadlines.approvalId, approvalId), isNull(deadlines.firedAt))).orderBy(deadlines.id);
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, deadline!.ticketId)).for("update");
      const outcome = await fireApprovalTimeout(new SlaSession(tx, at, SYSTEM), ticket!, deadline!);
      await tx.update(deadlines).set({ firedAt: at }).where(eq(deadlines.id, deadline!.id));
      return { outcome, deadline: deadline! };
    });
  }

  describe("GET /approvals", () => {
    it("lists the approvals assigned to me with their resolutions, oldest first, page by page", async () => {
      const made = [await requestRefund(), await requestRefund(90), await requestRefund(60)];
      const mine = await all(as.lena, "/approvals?status=pending", 1);
      const ours = mine.filter((a) => made.some((m) => m.approval.id === a.id));
      expect(ours.map((a) => a.id)).toEqual(made.map((m) => m.approval.id));
      expect(ours[0]).toEqual({
        ...made[0]!.approval,
        resolution: {
          id: made[0]!.resolution.id,
          ticketId: made[0]!.ticket.id,
          type: "refund",
          amount: 80,
          currency: "EUR",
          note: NOTE,
          status: "pending_approval",
          requestedById: agents.alice.id,
          createdAt: made[0]!.resolution.createdAt,
          appliedAt: null,
        },
      });
      // Not Alice's (she asked), not Mark's (not his to decide).
      expect(await pendingIds(as.alice)).not.toContain(made[0]!.approval.id);
      expect(await pendingIds(as.mark)).not.toContain(made[0]!.approval.id);
    });

    it("lets managers and admins see someone else's queue; others get 403", async () => {
      const { approval } = await requestRefund();
      expect(await pendingIds(as.mark, `&approverId=${agents.lena.id}`)).toContain(approval.id);
      expect(await pendingIds(as.admin, `&approverId=${agents.lena.id}`)).toContain(approval.id);
      expectProblem(await send(as.alice, "GET", `/approvals?approverId=${agents.lena.id}`), 403, "forbidden");
      expectProblem(await send(carol, "GET", "/approvals"), 403, "forbidden");
      expect((await send(as.lena, "GET", `/approvals?approverId=${agents.lena.id}`)).status).toBe(200);
    });

    it("filters by status and rejects an unknown one", async () => {
      const { approval } = await requestRefund();
      expect((await approve(approval.id, as.lena)).status).toBe(200);
      expect(await pendingIds(as.lena)).not.toContain(approval.id);
      expect((await all(as.lena, "/approvals?status=approved")).map((a) => a.id)).toContain(approval.id);
      expect((await all(as.lena, "/approvals")).map((a) => a.id)).toContain(approval.id);
      expectInvalid(await send(as.lena, "GET", "/approvals?status=maybe"), ["querystring.status"]);
      expectInvalid(await send(as.lena, "GET", "/approvals?cursor=nonsense"), ["querystring.cursor"]);
    });

    it("shows one approval to its approver, its requester, managers and admins; others get 404", async () => {
      const { approval } = await requestRefund();
      for (const who of [as.lena, as.alice, as.mark, as.admin]) {
        const res = await send(who, "GET", `/approvals/${approval.id}`);
        expect(res.status, res.text).toBe(200);
        expect(res.body.id).toBe(approval.id);
      }
      expectProblem(await send(as.bob, "GET", `/approvals/${approval.id}`), 404, "approval_not_found");
      expectProblem(await send(as.lena, "GET", `/approvals/${UNKNOWN_ID}`), 404, "approval_not_found");
      expectProblem(await send(carol, "GET", `/approvals/${approval.id}`), 403, "forbidden");
    });
  });

  describe("POST /approvals/{id}/approve", () => {
    it("applies the resolution: events on the timeline, the customer sees what was granted, the requester is told", async () => {
      const { ticket, resolution, approval } = await requestRefund();
      h.clock.advance(10 * MINUTE);
      const res = await approve(approval.id, as.lena, { reason: "Repeat failure; fair." });
      expect(res.status, res.text).toBe(200);
      const now = h.clock.now().toISOString();
      expect(res.body).toMatchObject({
        id: approval.id,
        status: "approved",
        reason: "Repeat failure; fair.",
        decidedAt: now,
        approverId: agents.lena.id,
        resolution: { id: resolution.id, status: "applied", appliedAt: now },
      });

      const events = await timeline(ticket.id);
      expect(typesOf(events).slice(-3)).toEqual(["approval.requested", "approval.approved", "resolution.applied"]);
      expect(events.at(-2)).toMatchObject({ visibility: "internal", actorId: agents.lena.id, data: { approvalId: approval.id, reason: "Repeat failure; fair." } });
      expect(events.at(-1)).toMatchObject({ visibility: "public", data: { resolutionId: resolution.id, type: "refund", amount: 80, currency: "EUR" } });
      const customerView = await timeline(ticket.id, carol);
      expect(typesOf(customerView)).toContain("resolution.applied");
      expect(typesOf(customerView).filter((t) => t.startsWith("approval."))).toEqual([]);
      expect(JSON.stringify(customerView)).not.toContain(NOTE);

      expect(await outboxOf(h, "approval.decided", ticket.id)).toEqual([
        { ticketId: ticket.id, approvalId: approval.id, resolutionId: resolution.id, decision: "approved", approverId: agents.lena.id, requestedById: agents.alice.id, reason: "Repeat failure; fair." },
      ]);
      expect(await outboxOf(h, "resolution.applied", ticket.id)).toHaveLength(1);
      expect(await unfiredDeadlines(approval.id)).toEqual([]);
      const listed = await all(as.alice, `/tickets/${ticket.id}/resolutions`);
      expect(listed[0]).toMatchObject({ status: "applied", approval: { status: "approved" } });
    });

    it("takes an approval without a body or reason", async () => {
      const { approval } = await requestRefund();
      const res = await approve(approval.id, as.lena);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: "approved", reason: null });
    });

    it("answers 403 to anyone but the assigned approver, and changes nothing", async () => {
      const { ticket, approval } = await requestRefund();
      const before = await writesOf(h, ticket.id);
      for (const who of [as.alice, as.bob, as.mark, as.admin, carol]) {
        expectProblem(await approve(approval.id, who), 403, "forbidden");
        expectProblem(await deny(approval.id, who, { reason: "No." }), 403, "forbidden");
      }
      expect(await writesOf(h, ticket.id)).toEqual(before);
      expect((await send(as.lena, "GET", `/approvals/${approval.id}`)).body.status).toBe("pending");
    });

    it("answers 409 approval_decided to a second decision, and 404 to an unknown approval", async () => {
      const { ticket, approval } = await requestRefund();
      expect((await approve(approval.id, as.lena)).status).toBe(200);
      const before = await writesOf(h, ticket.id);
      expectProblem(await approve(approval.id, as.lena), 409, "approval_decided");
      expectProblem(await deny(approval.id, as.lena, { reason: "Changed my mind." }), 409, "approval_decided");
      expect(await writesOf(h, ticket.id)).toEqual(before);
      expectProblem(await approve(UNKNOWN_ID, as.lena), 404, "approval_not_found");
      expectInvalid(await approve("nope", as.lena), ["params.id"]);
    });
  });

  describe("POST /approvals/{id}/deny", () => {
    it("denies with a reason: nothing is granted, the requester is told why, the customer sees nothing", async () => {
      const { ticket, resolution, approval } = await requestRefund(95);
      const customerBefore = await timeline(ticket.id, carol);
      h.clock.advance(5 * MINUTE);
      const res = await deny(approval.id, as.lena, { reason: "  Already credited last month.  " });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        status: "denied",
        reason: "Already credited last month.",
        decidedAt: h.clock.now().toISOString(),
        resolution: { id: resolution.id, status: "denied", appliedAt: null },
      });
      const events = await timeline(ticket.id);
      expect(events.at(-1)).toMatchObject({
        type: "approval.denied",
        visibility: "internal",
        actorId: agents.lena.id,
        data: { approvalId: approval.id, resolutionId: resolution.id, amount: 95, reason: "Already credited last month." },
      });
      expect(await timeline(ticket.id, carol)).toEqual(customerBefore);
      expect(await outboxOf(h, "approval.decided", ticket.id)).toEqual([
        { ticketId: ticket.id, approvalId: approval.id, resolutionId: resolution.id, decision: "denied", approverId: agents.lena.id, requestedById: agents.alice.id, reason: "Already credited last month." },
      ]);
      expect(await outboxOf(h, "resolution.applied", ticket.id)).toEqual([]);
      expect(await unfiredDeadlines(approval.id)).toEqual([]);
      expectProblem(await approve(approval.id, as.lena), 409, "approval_decided");
    });

    it("requires a reason (400) and changes nothing without one", async () => {
      const { ticket, approval } = await requestRefund();
      const before = await writesOf(h, ticket.id);
      expectInvalid(await deny(approval.id, as.lena), ["body"]);
      expectInvalid(await deny(approval.id, as.lena, {}), ["body.reason"]);
      expectInvalid(await deny(approval.id, as.lena, { reason: "   " }), ["body.reason"]);
      expect(await writesOf(h, ticket.id)).toEqual(before);
    });
  });

  describe("an undecided approval (the deadline engine's step)", () => {
    it("climbs to the next approver up each time its decision time runs out, then is recorded as unanswered", async () => {
      const { ticket, resolution, approval } = await requestRefund(80);
      expect(approval.approverId).toBe(agents.lena.id);
      const [first] = await unfiredDeadlines(approval.id);
      expect(first).toMatchObject({ stepKey: "approval", dueAt: new Date(approval.dueAt), ticketId: ticket.id });
      expect(new Date(approval.dueAt).getTime() - new Date(approval.requestedAt).getTime()).toBe(TIMEOUT);

      // Lena does not decide in time: Mark (a manager, above a lead) gets it with a fresh decision time.
      const t1 = new Date(first!.dueAt.getTime() + 1000);
      expect((await fireTimeout(approval.id, t1)).outcome).toBe("fired");
      let current = (await send(as.admin, "GET", `/approvals/${approval.id}`)).body;
      expect(current).toMatchObject({ status: "pending", approverId: agents.mark.id, dueAt: new Date(t1.getTime() + TIMEOUT).toISOString() });
      const [second] = await unfiredDeadlines(approval.id);
      expect(second).toMatchObject({ stepKey: "approval:2", dueAt: new Date(t1.getTime() + TIMEOUT) });
      expect(second!.payload).toMatchObject({ type: "approval", round: 2, approverId: agents.mark.id });
      expect((await timeline(ticket.id)).at(-1)).toMatchObject({
        type: "approval.escalated",
        visibility: "internal",
        actorType: "system",
        data: { approvalId: approval.id, approverId: { from: agents.lena.id, to: agents.mark.id } },
      });
      expect((await outboxOf(h, "approval.requested", ticket.id)).at(-1)).toMatchObject({ approvalId: approval.id, approverId: agents.mark.id, escalatedFrom: agents.lena.id });
      expect(await pendingIds(as.lena)).not.toContain(approval.id);
      expect(await pendingIds(as.mark)).toContain(approval.id);
      // Lena is no longer the one to decide.
      expectProblem(await approve(approval.id, as.lena), 403, "forbidden");

      // Mark does not decide either: the admin.
      const t2 = new Date(second!.dueAt.getTime() + 1000);
      expect((await fireTimeout(approval.id, t2)).outcome).toBe("fired");
      current = (await send(as.admin, "GET", `/approvals/${approval.id}`)).body;
      expect(current.approverId).toBe(agents.admin.id);

      // Nobody is above the admin: it stays with them, recorded as unanswered, with no further deadline.
      const [third] = await unfiredDeadlines(approval.id);
      const t3 = new Date(third!.dueAt.getTime() + 1000);
      expect((await fireTimeout(approval.id, t3)).outcome).toBe("fired");
      expect(await unfiredDeadlines(approval.id)).toEqual([]);
      expect((await timeline(ticket.id)).at(-1)).toMatchObject({ type: "approval.unanswered", visibility: "internal", data: { approvalId: approval.id, approverId: agents.admin.id } });
      expect(await outboxOf(h, "approval.unanswered", ticket.id)).toEqual([
        { ticketId: ticket.id, approvalId: approval.id, resolutionId: resolution.id, approverId: agents.admin.id, requestedById: agents.alice.id },
      ]);
      current = (await send(as.admin, "GET", `/approvals/${approval.id}`)).body;
      expect(current).toMatchObject({ status: "pending", approverId: agents.admin.id });

      // The admin can still decide.
      expect((await approve(approval.id, as.admin)).body).toMatchObject({ status: "approved", resolution: { status: "applied" } });
    });

    it("climbs only to people whose limit covers it: 400 EUR starts with the manager, then the admin", async () => {
      const { approval } = await requestRefund(400);
      expect(approval.approverId).toBe(agents.mark.id);
      const [first] = await unfiredDeadlines(approval.id);
      await fireTimeout(approval.id, new Date(first!.dueAt.getTime() + 1000));
      expect((await send(as.admin, "GET", `/approvals/${approval.id}`)).body.approverId).toBe(agents.admin.id);
    });

    it("does nothing once the approval is decided, or for a deadline set for a previous approver", async () => {
      const { ticket, approval } = await requestRefund();
      const [first] = await unfiredDeadlines(approval.id);
      expect((await approve(approval.id, as.lena)).status).toBe(200);
      const before = await writesOf(h, ticket.id);
      // The decision removed the pending deadline; fire the row as the engine would have claimed it.
      const outcome = await h.store.db.transaction(async (tx) => {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id)).for("update");
        return fireApprovalTimeout(new SlaSession(tx, new Date(first!.dueAt.getTime() + 1000), SYSTEM), t!, first!);
      });
      expect(outcome).toBe("obsolete");
      expect(await writesOf(h, ticket.id)).toEqual(before);

      const other = await requestRefund();
      const [stale] = await unfiredDeadlines(other.approval.id);
      await fireTimeout(other.approval.id, new Date(stale!.dueAt.getTime() + 1000)); // now with Mark
      const again = await h.store.db.transaction(async (tx) => {
        const [t] = await tx.select().from(tickets).where(eq(tickets.id, other.ticket.id)).for("update");
        return fireApprovalTimeout(new SlaSession(tx, new Date(stale!.dueAt.getTime() + 2000), SYSTEM), t!, stale!);
      });
      expect(again).toBe("obsolete");
      expect((await send(as.admin, "GET", `/approvals/${other.approval.id}`)).body.approverId).toBe(agents.mark.id);
    });
  });

  it("hands an undecided approval to the next approver up when the deadline engine finds it overdue", async () => {
    const { approval } = await requestRefund(85);
    expect(approval.approverId).toBe(agents.lena.id);
    const engine = new DeadlineEngine({ store: h.store, clock: h.clock });
    h.clock.advance(TIMEOUT - MINUTE);
    await engine.drainDue();
    expect((await send(as.lena, "GET", `/approvals/${approval.id}`)).body.approverId).toBe(agents.lena.id);
    h.clock.advance(2 * MINUTE);
    await engine.drainDue();
    const after = await send(as.mark, "GET", `/approvals/${approval.id}`);
    expect(after.status, after.text).toBe(200);
    expect(after.body).toMatchObject({ status: "pending", approverId: agents.mark.id });
  });
});
