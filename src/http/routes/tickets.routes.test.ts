import { afterAll, describe, expect, it } from "vitest";
import { createAgent } from "../../commands/create-agent.js";
import { createApiToken } from "../../commands/create-api-token.js";
import { loadConfig } from "../../config.js";
import { FakeClock } from "../../domain/clock.js";
import { SYSTEM, type AgentPrincipal } from "../../domain/principal.js";
import { startHarness } from "../../test-support/harness.js";
import { HANDOVER, ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";
import { openTestStore } from "../../test-support/test-store.js";
import { buildApp } from "../app.js";

const MINUTE = 60_000;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const typesOf = (events: Json[]) => events.map((e) => e.type);
const fieldPaths = (body: Json): string[] => (body.errors ?? []).map((e: { path: string }) => e.path);

describe("tickets API", async () => {
  const h = await startHarness();
  const { agents, teams, levels, customers } = h.org;
  const { as, send, openTicket, escalate, patch, ticket, all, timeline, escalations, signIn } = ticketApi(h);
  const carol = await signIn("carol@customer.test");

  describe("POST /tickets", () => {
    it("opens a new ticket on the frontline team of the lowest level", async () => {
      h.clock.advance(MINUTE);
      const res = await send(as.alice, "POST", "/tickets", {
        subject: "  Cannot log in  ",
        description: "The login page says my password is wrong.",
        channel: "web",
        priority: "high",
        category: "access",
        tags: ["login", "login", "web"],
        customer: uniqueCustomer(),
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({
        subject: "Cannot log in",
        status: "new",
        priority: "high",
        channel: "web",
        category: "access",
        tags: ["login", "web"],
        levelId: levels.l1.id,
        teamId: teams.frontline.id,
        assigneeId: null,
        reopenCount: 0,
        resolvedAt: null,
        closedAt: null,
        createdAt: h.clock.now().toISOString(),
      });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number.isInteger(res.body.number)).toBe(true);
      expect(await ticket(res.body.id)).toEqual(res.body);
    });

    it("defaults the priority to normal and gives each ticket a higher number", async () => {
      const first = await openTicket();
      const second = await openTicket();
      expect(first.priority).toBe("normal");
      expect(second.number).toBeGreaterThan(first.number);
    });

    it("creates a customer by e-mail once, whatever the case of the address", async () => {
      const first = await openTicket({ customer: { email: "Erin.Case@Example.test", name: "Erin" } });
      const second = await openTicket({ customer: { email: "erin.case@example.test" } });
      expect(second.customerId).toBe(first.customerId);
      const found = await send(as.admin, "GET", "/customers?email=erin.case@example.test");
      expect(found.body.data).toHaveLength(1);
      expect(found.body.data[0]).toMatchObject({ id: first.customerId, name: "Erin" });
    });

    it("opens a ticket for an existing customer by id", async () => {
      const t = await openTicket({ customerId: customers.carol.id });
      expect(t.customerId).toBe(customers.carol.id);
    });

    it("refuses an unknown customer id with 404 customer_not_found and writes nothing", async () => {
      const before = (await send(as.admin, "GET", "/tickets?limit=1")).body.data[0];
      const res = await send(as.alice, "POST", "/tickets", { subject: "Hi", description: "Broken", channel: "email", customerId: UNKNOWN_ID });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("customer_not_found");
      const latest = await send(as.admin, "GET", "/tickets?limit=1");
      expect(latest.body.data[0].id).toBe(before.id);
    });

    it("refuses both customer and customerId", async () => {
      const res = await send(as.alice, "POST", "/tickets", {
        subject: "Hi",
        description: "Broken",
        channel: "email",
        customer: { email: "both@customer.test" },
        customerId: customers.carol.id,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      expect(fieldPaths(res.body)).toContain("body.customerId");
    });

    it("makes one customer of one new address even when its tickets arrive at once", async () => {
      const email = uniqueCustomer().email;
      const opened = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          send(as.alice, "POST", "/tickets", { subject: `Parallel ${i}`, description: "Broken", channel: "api", customer: { email } }),
        ),
      );
      expect(opened.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(opened.map((r) => r.body.customerId)).size).toBe(1);
      expect(new Set(opened.map((r) => r.body.number)).size).toBe(5);
      expect((await send(as.admin, "GET", `/customers?email=${email}`)).body.data).toHaveLength(1);
    });

    it("refuses a ticket without any customer", async () => {
      const res = await send(as.alice, "POST", "/tickets", { subject: "Hi", description: "Broken", channel: "email" });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
    });

    it.each([
      ["a missing subject", { subject: undefined }, "body.subject"],
      ["a blank subject", { subject: "   " }, "body.subject"],
      ["an unknown channel", { channel: "pigeon" }, "body.channel"],
      ["an unknown priority", { priority: "critical" }, "body.priority"],
      ["a bad customer e-mail", { customer: { email: "not-an-email" } }, "body.customer.email"],
    ])("refuses %s with 400 validation_failed naming the field", async (_label, change, path) => {
      const body = { subject: "Hi", description: "Broken", channel: "email", customer: { email: "valid@customer.test" }, ...change };
      const res = await send(as.alice, "POST", "/tickets", body);
      expect(res.status, res.text).toBe(400);
      expect(res.headers["content-type"]).toContain("application/problem+json");
      expect(res.body.code).toBe("validation_failed");
      expect(fieldPaths(res.body)).toContain(path);
    });

    it("opens a signed-in customer's ticket for that customer, whoever the body names", async () => {
      const res = await send(carol, "POST", "/tickets", {
        subject: "Where is my refund?",
        description: "It has been two weeks.",
        channel: "web",
        customer: { email: "someone-else@customer.test" },
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.customerId).toBe(customers.carol.id);
      const byId = await send(carol, "POST", "/tickets", { subject: "Again", description: "Still waiting.", channel: "web", customerId: UNKNOWN_ID });
      expect(byId.status, byId.text).toBe(201);
      expect(byId.body.customerId).toBe(customers.carol.id);
    });

    it("requires a signed-in caller", async () => {
      const res = await send(undefined, "POST", "/tickets", { subject: "Hi", description: "Broken", channel: "email", customer: { email: "x@customer.test" } });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe("unauthenticated");
    });
  });

  describe("GET /tickets", () => {
    it("filters by status, level, team, priority, assignee and customer", async () => {
      const customer = uniqueCustomer();
      const plain = await openTicket({ customer });
      const customerId = plain.customerId as string;
      const urgent = await openTicket({ customer, priority: "urgent" });
      const pending = await openTicket({ customer });
      await patch(pending.id, { status: "pending" });
      const assigned = await openTicket({ customer });
      await patch(assigned.id, { assigneeId: agents.alice.id });
      const billing = await openTicket({ customer });
      await escalate(billing.id, { kind: "functional", toTeamId: teams.billing.id });

      const ids = async (query: string) => (await all(as.admin, `/tickets?customerId=${customerId}${query}`)).map((t) => t.id);
      expect(await ids("")).toEqual([billing.id, assigned.id, pending.id, urgent.id, plain.id]);
      expect(await ids("&status=pending")).toEqual([pending.id]);
      expect(await ids("&status=new")).toEqual([assigned.id, urgent.id, plain.id]);
      expect(await ids("&priority=urgent")).toEqual([urgent.id]);
      expect(await ids(`&assigneeId=${agents.alice.id}`)).toEqual([assigned.id]);
      expect(await ids(`&teamId=${teams.billing.id}`)).toEqual([billing.id]);
      expect(await ids(`&levelId=${levels.l2.id}`)).toEqual([billing.id]);
      expect(await ids(`&levelId=${levels.l1.id}&teamId=${teams.frontline.id}&status=new&priority=normal`)).toEqual([assigned.id, plain.id]);

      // Filters also narrow the unfiltered list: every row matches.
      const urgentEverywhere = await all(as.admin, "/tickets?priority=urgent");
      expect(urgentEverywhere.length).toBeGreaterThan(0);
      expect(urgentEverywhere.every((t) => t.priority === "urgent")).toBe(true);
    });

    it("refuses a filter value outside the vocabulary", async () => {
      const res = await send(as.admin, "GET", "/tickets?status=sleeping");
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      expect(fieldPaths(res.body)).toContain("querystring.status");
    });

    it("pages through the list with a cursor, newest first, completely and without duplicates", async () => {
      const customer = uniqueCustomer();
      const opened: Json[] = [];
      for (let i = 0; i < 5; i++) opened.push(await openTicket({ customer, subject: `Ticket ${i}` }));
      const customerId = opened[0].customerId as string;

      const pages: Json[][] = [];
      let cursor: string | null = null;
      do {
        const res = await send(as.alice, "GET", `/tickets?customerId=${customerId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status, res.text).toBe(200);
        pages.push(res.body.data);
        cursor = res.body.nextCursor;
      } while (cursor);

      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      const seen = pages.flat().map((t) => t.id);
      expect(new Set(seen).size).toBe(5);
      expect(seen).toEqual(opened.map((t) => t.id).reverse());
    });

    it("refuses a cursor it did not make and a bad limit", async () => {
      for (const cursor of ["garbage", Buffer.from("[1.5]").toString("base64url"), Buffer.from('["x"]').toString("base64url")]) {
        const res = await send(as.alice, "GET", `/tickets?cursor=${cursor}`);
        expect(res.status, cursor).toBe(400);
        expect(res.body.code).toBe("validation_failed");
      }
      for (const limit of ["0", "201", "many"]) {
        const res = await send(as.alice, "GET", `/tickets?limit=${limit}`);
        expect(res.status, limit).toBe(400);
        expect(res.body.code).toBe("validation_failed");
      }
    });
  });

  describe("visibility", () => {
    it("shows agents their teams' tickets and the ones they took part in; managers and admins see all", async () => {
      const customer = uniqueCustomer();
      const frontline = await openTicket({ customer, subject: "Frontline ticket" });
      const customerId = frontline.customerId as string;
      const billingOnly = await openTicket({ customer, subject: "Lena sent this to billing" });
      await escalate(billingOnly.id, { kind: "functional", toTeamId: teams.billing.id }, as.lena);
      const handedOver = await openTicket({ customer, subject: "Alice sent this to billing" });
      await escalate(handedOver.id, { kind: "functional", toTeamId: teams.billing.id }, as.alice);

      const visible = async (who: Json) => (await all(who, `/tickets?customerId=${customerId}`)).map((t) => t.subject).sort();
      expect(await visible(as.alice)).toEqual(["Alice sent this to billing", "Frontline ticket"]);
      expect(await visible(as.bob)).toEqual(["Alice sent this to billing", "Lena sent this to billing"]);
      // A lead sees what their team holds and what they handed over themselves, not what a teammate sent away.
      expect(await visible(as.lena)).toEqual(["Frontline ticket", "Lena sent this to billing"]);
      expect(await visible(as.tina)).toEqual([]);
      const everything = ["Alice sent this to billing", "Frontline ticket", "Lena sent this to billing"];
      expect(await visible(as.mark)).toEqual(everything);
      expect(await visible(as.admin)).toEqual(everything);

      const get = (who: Json, id: string) => send(who, "GET", `/tickets/${id}`);
      expect((await get(as.alice, frontline.id)).status).toBe(200);
      expect((await get(as.alice, handedOver.id)).status).toBe(200);
      const hidden = await get(as.alice, billingOnly.id);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe("ticket_not_found");
      expect((await get(as.bob, frontline.id)).status).toBe(404);
      expect((await get(as.bob, billingOnly.id)).status).toBe(200);
      expect((await get(as.mark, billingOnly.id)).status).toBe(200);
      expect((await get(as.admin, billingOnly.id)).status).toBe(200);
    });

    it("finds a ticket by its number for whoever may see it, and answers 404 alike for unseen and missing", async () => {
      const customer = uniqueCustomer();
      const frontline = await openTicket({ customer, subject: "Looked up by number" });
      const byNumber = (who: Json, n: number | string) => send(who, "GET", `/tickets/by-number/${n}`);
      const seen = await byNumber(as.alice, frontline.number);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: frontline.id, number: frontline.number, subject: "Looked up by number" });
      const unseen = await byNumber(as.bob, frontline.number);
      expect(unseen.status).toBe(404);
      expect(unseen.body.code).toBe("ticket_not_found");
      expect((await byNumber(as.admin, 2_000_000_000)).body.code).toBe("ticket_not_found");
      expect((await byNumber(as.admin, "12abc")).status).toBe(400);
      expect((await byNumber(as.admin, 0)).status).toBe(400);
    });

    it("hides an invisible ticket from every action, as if it did not exist", async () => {
      const t = await openTicket();
      await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id }, as.lena);
      const before = await ticket(t.id);
      const attempts = [
        await send(as.alice, "POST", `/tickets/${t.id}/escalations`, { kind: "functional", toTeamId: teams.technical.id, reason: "needs_expertise", note: HANDOVER }),
        await send(as.alice, "PATCH", `/tickets/${t.id}`, { priority: "urgent" }),
        await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Hello" }),
        await send(as.alice, "GET", `/tickets/${t.id}/messages`),
        await send(as.alice, "GET", `/tickets/${t.id}/events`),
        await send(as.alice, "GET", `/tickets/${t.id}/escalations`),
        await send(as.alice, "POST", `/tickets/${t.id}/de-escalate`, { note: HANDOVER }),
      ];
      for (const res of attempts) {
        expect(res.status, res.text).toBe(404);
        expect(res.body.code).toBe("ticket_not_found");
      }
      expect(await ticket(t.id)).toEqual(before);
    });

    it("shows a customer only their own tickets", async () => {
      const own = await openTicket({}, carol);
      const other = await openTicket();
      const mine = await all(carol, "/tickets");
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((t) => t.customerId === customers.carol.id)).toBe(true);
      expect(mine.map((t) => t.id)).toContain(own.id);
      expect((await send(carol, "GET", `/tickets/${own.id}`)).status).toBe(200);
      const hidden = await send(carol, "GET", `/tickets/${other.id}`);
      expect(hidden.status).toBe(404);
      expect(hidden.body.code).toBe("ticket_not_found");
      // Asking for someone else's tickets by filter finds nothing.
      expect(await all(carol, `/tickets?customerId=${other.customerId}`)).toEqual([]);
    });
  });

  describe("PATCH /tickets/{id}", () => {
    it("changes status, priority, tags, category and assignee, recording public and internal events", async () => {
      const t = await openTicket();
      h.clock.advance(MINUTE);
      const res = await send(as.alice, "PATCH", `/tickets/${t.id}`, {
        subject: "Charged twice in November",
        status: "open",
        priority: "high",
        tags: ["refund", "refund", "vip"],
        category: "billing",
        assigneeId: agents.alice.id,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        status: "open",
        priority: "high",
        tags: ["refund", "vip"],
        category: "billing",
        assigneeId: agents.alice.id,
        updatedAt: h.clock.now().toISOString(),
      });
      const events = await timeline(t.id);
      expect(typesOf(events)).toEqual(["ticket.created", "ticket.status_changed", "ticket.updated"]);
      expect(events[1]).toMatchObject({
        visibility: "public",
        actorType: "agent",
        actorId: agents.alice.id,
        data: { status: { from: "new", to: "open" } },
      });
      expect(events[2]).toMatchObject({ visibility: "internal", actorType: "agent", actorId: agents.alice.id });
      expect(events[2].data.changes).toEqual({
        subject: { from: "Invoice charged twice", to: "Charged twice in November" },
        priority: { from: "normal", to: "high" },
        tags: { from: [], to: ["refund", "vip"] },
        category: { from: null, to: "billing" },
        assigneeId: { from: null, to: agents.alice.id },
      });
    });

    it("unassigns and clears the category with null", async () => {
      const t = await openTicket({ category: "billing" });
      await patch(t.id, { assigneeId: agents.alice.id });
      const cleared = await patch(t.id, { assigneeId: null, category: null });
      expect(cleared).toMatchObject({ assigneeId: null, category: null });
      const last = (await timeline(t.id)).at(-1);
      expect(last.data.changes).toEqual({ assigneeId: { from: agents.alice.id, to: null }, category: { from: "billing", to: null } });
    });

    it("records nothing when nothing actually changes", async () => {
      const t = await openTicket({ priority: "high" });
      const before = await timeline(t.id);
      const same = await patch(t.id, { priority: "high", status: "new" });
      expect(same).toEqual(await ticket(t.id));
      expect(await timeline(t.id)).toEqual(before);
    });

    it("refuses an assignee outside the ticket's team and an unknown one, changing nothing", async () => {
      const t = await openTicket();
      const before = await ticket(t.id);
      const outsider = await send(as.alice, "PATCH", `/tickets/${t.id}`, { assigneeId: agents.bob.id, priority: "urgent" });
      expect(outsider.status).toBe(422);
      expect(outsider.body.code).toBe("assignee_not_in_team");
      const unknown = await send(as.alice, "PATCH", `/tickets/${t.id}`, { assigneeId: UNKNOWN_ID, priority: "urgent" });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe("agent_not_found");
      expect(await ticket(t.id)).toEqual(before);
      expect(typesOf(await timeline(t.id))).toEqual(["ticket.created"]);
    });

    it("refuses an empty body and bad values", async () => {
      const t = await openTicket();
      for (const body of [{}, { status: "sleeping" }, { priority: "" }, { assigneeId: "alice" }, { tags: [""] }]) {
        const res = await send(as.alice, "PATCH", `/tickets/${t.id}`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe("validation_failed");
      }
      const badId = await send(as.alice, "PATCH", "/tickets/not-a-uuid", { priority: "high" });
      expect(badId.status).toBe(400);
      expect(fieldPaths(badId.body)).toContain("params.id");
    });

    it("closes a ticket for good: 409 ticket_closed afterwards", async () => {
      const t = await openTicket();
      h.clock.advance(MINUTE);
      const closed = await patch(t.id, { status: "closed" });
      expect(closed).toMatchObject({ status: "closed", closedAt: h.clock.now().toISOString() });
      for (const body of [{ priority: "urgent" }, { status: "open" }]) {
        const res = await send(as.admin, "PATCH", `/tickets/${t.id}`, body);
        expect(res.status).toBe(409);
        expect(res.body.code).toBe("ticket_closed");
      }
      expect(await ticket(t.id)).toEqual(closed);
    });

    it("resolving sets resolvedAt and closes the active escalation with outcome resolved", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      h.clock.advance(10 * MINUTE);
      const resolved = await patch(t.id, { status: "resolved" }, as.bob);
      expect(resolved).toMatchObject({ status: "resolved", resolvedAt: h.clock.now().toISOString(), closedAt: null });
      const [after] = await escalations(t.id);
      expect(after).toMatchObject({ id: e.id, status: "closed", outcome: "resolved", closedAt: h.clock.now().toISOString() });
      const events = await timeline(t.id);
      expect(typesOf(events).slice(-2)).toEqual(["ticket.status_changed", "escalation.closed"]);
      expect(events.at(-1)).toMatchObject({ visibility: "internal", data: { escalationId: e.id, outcome: "resolved" } });
      // Closing later keeps the resolution time.
      h.clock.advance(MINUTE);
      const closed = await patch(t.id, { status: "closed" }, as.bob);
      expect(closed.resolvedAt).toBe(resolved.resolvedAt);
    });

    it("closing a ticket ends its active escalation with outcome closed", async () => {
      const t = await openTicket();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      await patch(t.id, { status: "closed" }, as.bob);
      expect((await escalations(t.id))[0]).toMatchObject({ id: e.id, status: "closed", outcome: "closed" });
    });

    it("reopening a resolved ticket counts the reopen and says so on the timeline", async () => {
      const t = await openTicket();
      await patch(t.id, { status: "resolved" });
      h.clock.advance(MINUTE);
      const reopened = await patch(t.id, { status: "open" });
      expect(reopened).toMatchObject({ status: "open", reopenCount: 1, resolvedAt: null });
      const last = (await timeline(t.id)).at(-1);
      expect(last).toMatchObject({ type: "ticket.reopened", visibility: "public", data: { status: { from: "resolved", to: "open" } } });
      await patch(t.id, { status: "resolved" });
      expect((await patch(t.id, { status: "pending" })).reopenCount).toBe(2);
    });

    it("forbids a customer to change their ticket (403) and hides others' (404)", async () => {
      const own = await openTicket({}, carol);
      const res = await send(carol, "PATCH", `/tickets/${own.id}`, { priority: "urgent" });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("forbidden");
      const other = await openTicket();
      expect((await send(carol, "PATCH", `/tickets/${other.id}`, { priority: "urgent" })).status).toBe(404);
      expect((await ticket(own.id)).priority).toBe("normal");
    });
  });

  describe("messages", () => {
    it("takes an agent's public reply, which opens a new ticket, and an internal note", async () => {
      const t = await openTicket();
      h.clock.advance(MINUTE);
      const note = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Checking the payment provider.", kind: "internal" });
      expect(note.status, note.text).toBe(201);
      expect(note.body).toMatchObject({ kind: "internal", ticketId: t.id, authorAgentId: agents.alice.id, authorCustomerId: null });
      expect((await ticket(t.id)).status).toBe("new");

      h.clock.advance(MINUTE);
      const reply = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "  We are looking into it.  " });
      expect(reply.status, reply.text).toBe(201);
      expect(reply.body).toMatchObject({ kind: "public", body: "We are looking into it.", createdAt: h.clock.now().toISOString() });
      expect((await ticket(t.id)).status).toBe("open");
      const events = await timeline(t.id);
      expect(typesOf(events)).toEqual(["ticket.created", "message.internal", "message.public", "ticket.status_changed"]);
      expect(events[1]).toMatchObject({ visibility: "internal", data: { messageId: note.body.id } });
      expect(events[2]).toMatchObject({ visibility: "public", data: { messageId: reply.body.id } });
      expect(events[3].data).toEqual({ status: { from: "new", to: "open" } });
    });

    it("makes a customer's message a customer message and refuses a customer's internal note", async () => {
      const t = await openTicket({}, carol);
      const asked = await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Any news?", kind: "public" });
      expect(asked.status, asked.text).toBe(201);
      expect(asked.body).toMatchObject({ kind: "customer", authorCustomerId: customers.carol.id, authorAgentId: null });
      h.clock.advance(MINUTE);
      const plain = await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Hello?" });
      expect(plain.body.kind).toBe("customer");

      const internal = await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Let me see the notes", kind: "internal" });
      expect(internal.status).toBe(403);
      expect(internal.body.code).toBe("forbidden");
      const bodies = (await all(as.admin, `/tickets/${t.id}/messages`)).map((m) => m.body);
      expect(bodies).toEqual(["Any news?", "Hello?"]);
    });

    it("hides internal notes from the customer, oldest first for everyone", async () => {
      const t = await openTicket({}, carol);
      h.clock.advance(MINUTE);
      await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "First from Carol" });
      h.clock.advance(MINUTE);
      await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Internal: VIP customer", kind: "internal" });
      h.clock.advance(MINUTE);
      await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Reply from Alice" });

      const staff = await all(as.alice, `/tickets/${t.id}/messages`, 1);
      expect(staff.map((m) => m.body)).toEqual(["First from Carol", "Internal: VIP customer", "Reply from Alice"]);
      const customer = await all(carol, `/tickets/${t.id}/messages`);
      expect(customer.map((m) => m.body)).toEqual(["First from Carol", "Reply from Alice"]);
    });

    it("puts a pending ticket back to open when the customer replies, and reopens a resolved one", async () => {
      const t = await openTicket({}, carol);
      await patch(t.id, { status: "pending" });
      await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Here is the receipt." });
      expect((await ticket(t.id)).status).toBe("open");
      expect((await timeline(t.id)).at(-1)).toMatchObject({
        type: "ticket.status_changed",
        actorType: "customer",
        actorId: customers.carol.id,
        data: { status: { from: "pending", to: "open" } },
      });

      await patch(t.id, { status: "resolved" });
      await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "It happened again." });
      expect(await ticket(t.id)).toMatchObject({ status: "open", reopenCount: 1, resolvedAt: null });
      expect((await timeline(t.id)).at(-1).type).toBe("ticket.reopened");
    });

    it("an agent's reply leaves a pending ticket pending", async () => {
      const t = await openTicket();
      await patch(t.id, { status: "pending" });
      await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Still waiting for your receipt." });
      expect((await ticket(t.id)).status).toBe("pending");
    });

    it("refuses messages on a closed ticket and empty bodies", async () => {
      const t = await openTicket();
      const empty = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "   " });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe("validation_failed");
      expect(fieldPaths(empty.body)).toContain("body.body");
      const badKind = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Hi", kind: "customer" });
      expect(badKind.status).toBe(400);

      await patch(t.id, { status: "closed" });
      const closed = await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "One more thing" });
      expect(closed.status).toBe(409);
      expect(closed.body.code).toBe("ticket_closed");
      expect(await all(as.admin, `/tickets/${t.id}/messages`)).toEqual([]);
    });
  });

  describe("GET /tickets/{id}/events", () => {
    it("tells the whole story oldest first to staff, and only the public part to the customer", async () => {
      const t = await openTicket({}, carol);
      const step = () => h.clock.advance(MINUTE);
      step();
      await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "We are on it." });
      step();
      await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: "Looks like a double charge.", kind: "internal" });
      step();
      await patch(t.id, { priority: "urgent" }, as.alice);
      step();
      const e = await escalate(t.id, { kind: "functional", toTeamId: teams.billing.id });
      step();
      expect((await send(as.bob, "POST", `/escalations/${e.id}/acknowledge`)).status).toBe(200);
      step();
      await patch(t.id, { status: "pending" }, as.bob);
      step();
      await send(carol, "POST", `/tickets/${t.id}/messages`, { body: "Receipt attached." });

      const staff = await timeline(t.id, as.bob);
      expect(typesOf(staff)).toEqual([
        "ticket.created",
        "message.public",
        "ticket.status_changed",
        "message.internal",
        "ticket.updated",
        "escalation.created",
        "ticket.escalated",
        "escalation.acknowledged",
        "ticket.taken_over",
        "ticket.status_changed",
        "message.customer",
        "ticket.status_changed",
      ]);
      const times = staff.map((ev) => ev.createdAt);
      expect([...times].sort()).toEqual(times);
      expect(staff[0]).toMatchObject({ actorType: "customer", actorId: customers.carol.id, visibility: "public" });
      expect(staff[0].data.after).toMatchObject({ status: "new", teamId: teams.frontline.id });
      expect(staff[4]).toMatchObject({ actorType: "agent", actorId: agents.alice.id, data: { changes: { priority: { from: "normal", to: "urgent" } } } });
      expect(staff[5]).toMatchObject({
        actorId: agents.alice.id,
        data: {
          escalationId: e.id,
          kind: "functional",
          reason: "needs_expertise",
          note: HANDOVER,
          levelId: { from: levels.l1.id, to: levels.l2.id },
          teamId: { from: teams.frontline.id, to: teams.billing.id },
        },
      });
      expect(staff[7]).toMatchObject({
        actorId: agents.bob.id,
        visibility: "internal",
        data: { escalationId: e.id, waitedMs: MINUTE, assigneeId: { from: null, to: agents.bob.id } },
      });
      expect(staff[9]).toMatchObject({ actorId: agents.bob.id, data: { status: { from: "open", to: "pending" } } });

      const customer = await timeline(t.id, carol);
      expect(typesOf(customer)).toEqual([
        "ticket.created",
        "message.public",
        "ticket.status_changed",
        "ticket.escalated",
        "ticket.taken_over",
        "ticket.status_changed",
        "message.customer",
        "ticket.status_changed",
      ]);
      expect(customer.every((ev) => ev.visibility === "public")).toBe(true);
      expect(customer.some((ev) => ev.type.startsWith("escalation."))).toBe(false);
      // Customer-safe escalation events: names and a sentence, no note, reason, agent or ids (issue 9, small gaps).
      expect(customer[3].data).toEqual({ team: "Billing", level: "L2", text: "Your request is now with our Billing specialists." });
      expect(customer[4].data).toEqual({ team: "Billing", level: "L2", text: "A specialist has taken it over." });
      expect(customer[4].actorId).toBeNull();
      expect(customer[0].data.after).toEqual(expect.objectContaining({ level: "L1", team: "Frontline" }));
      expect(customer[0].data.after).not.toHaveProperty("teamId");
      expect(customer[0].data.after).not.toHaveProperty("assigneeId");
      expect(JSON.stringify(customer)).not.toContain(HANDOVER);
    });

    it("pages through the timeline with a cursor", async () => {
      const t = await openTicket();
      for (let i = 0; i < 4; i++) await send(as.alice, "POST", `/tickets/${t.id}/messages`, { body: `Note ${i}`, kind: "internal" });
      const whole = await timeline(t.id);
      expect(whole).toHaveLength(5);
      const paged = await all(as.admin, `/tickets/${t.id}/events`, 2);
      expect(paged).toEqual(whole);
      const first = await send(as.admin, "GET", `/tickets/${t.id}/events?limit=5`);
      expect(first.body.nextCursor).toBeNull();
      const garbage = await send(as.admin, "GET", `/tickets/${t.id}/events?cursor=nope`);
      expect(garbage.status).toBe(400);
    });

    it("refuses forged cursors on a ticket's messages, escalations and events with 400", async () => {
      const t = await openTicket();
      const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
      const timeAndId = ["garbage", forge(["not a time", UNKNOWN_ID]), forge([new Date().toISOString(), "not-a-uuid"]), forge([new Date().toISOString()]), forge([12])];
      const forged: Record<string, string[]> = {
        messages: timeAndId,
        escalations: timeAndId,
        events: ["garbage", forge(["12"]), forge([1.5]), forge([1, 2]), forge([2 ** 60])],
      };
      for (const [list, cursors] of Object.entries(forged)) {
        for (const cursor of cursors) {
          const res = await send(as.admin, "GET", `/tickets/${t.id}/${list}?cursor=${cursor}`);
          expect(res.status, `${list} ${cursor}: ${res.text}`).toBe(400);
          expect(res.body.code).toBe("validation_failed");
        }
      }
    });

    it("answers 404 for a ticket that does not exist", async () => {
      const res = await send(as.admin, "GET", `/tickets/${UNKNOWN_ID}/events`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("ticket_not_found");
    });
  });
});

describe("tickets API without a frontline team", async () => {
  // A fresh installation: an admin, levels and a specialist team, but nowhere for new tickets to land.
  const store = await openTestStore();
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const app = await buildApp({ store, clock, config: loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40) }) });
  afterAll(() => app.close());
  const sys = { db: store.db, clock, actor: SYSTEM };
  const admin = await createAgent(sys, { email: "admin@support.test", name: "Admin", role: "admin", teamIds: [], skills: [], authorityLimits: {} });
  const principal: AgentPrincipal = { kind: "agent", id: admin.id, role: "admin", teamIds: [] };
  const { token } = await createApiToken({ ...sys, actor: principal }, { name: "tests" });
  const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(body ? { payload: body as object } : {}) });
    return { status: res.statusCode, body: res.json() };
  };

  it("refuses a ticket with 409 no_frontline_team and creates no customer", async () => {
    const level = await call("POST", "/levels", { name: "L2", rank: 2 });
    expect(level.status).toBe(201);
    expect((await call("POST", "/teams", { name: "Billing", levelId: level.body.id, kind: "specialist" })).status).toBe(201);
    const res = await call("POST", "/tickets", { subject: "Hi", description: "Broken", channel: "email", customer: { email: "first@customer.test" } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("no_frontline_team");
    expect((await call("GET", "/customers")).body.data).toEqual([]);
    expect((await call("GET", "/tickets")).body.data).toEqual([]);
  });
});
