import { eq, sql } from "drizzle-orm";
import { loadConfig } from "../../config.js";
import { queryRows } from "../../db/raw.js";
import { openPostgresStore } from "../../db/store.js";
import { postgresUrlFor } from "../../test-support/stores.js";
import { testStoreKind } from "../../test-support/test-store.js";
import { buildApp } from "../app.js";
import { afterAll, describe, expect, it } from "vitest";
import { createAccount } from "../../commands/create-account.js";
import { createCustomer } from "../../commands/create-customer.js";
import { cannedReplies, messages, ticketPresence } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { insertOfficeCalendar, insertPolicy } from "../../test-support/sla-factories.js";
import { openSse, type SseConnection } from "../../test-support/sse-client.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("the ticket page's API", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const { agents, teams } = h.org;
  const carol = (await t.signIn("carol@customer.test")) as { cookie: string };
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const address = h.app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const streams: SseConnection[] = [];
  afterAll(() => streams.forEach((s) => s.close()));

  const lastEventId = async (ticketId: string): Promise<number> => (await t.timeline(ticketId)).at(-1).id;

  describe("POST /tickets/{id}/messages with expectedVersion (the traffic cop)", () => {
    it("refuses a reply with 409 ticket_changed listing what others did since, and writes nothing", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const seen = await lastEventId(ticket.id);
      // Lena (same team) changes the priority, then a note comes in: both happened after Alice looked.
      await t.patch(ticket.id, { priority: "urgent" }, as.lena);
      const note = await send(as.lena, "POST", `/tickets/${ticket.id}/messages`, { body: "Customer called, very upset.", kind: "internal" });
      expect(note.status, note.text).toBe(201);

      const res = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Here is your answer.", expectedVersion: seen });
      expectProblem(res, 409, "ticket_changed");
      expect(res.body.detail).toContain(`#${ticket.number} changed since you opened it`);
      expect(res.body.changes.map((e: Json) => e.type)).toEqual(["ticket.updated", "message.internal"]);
      expect(res.body.changes.every((e: Json) => e.actorId === agents.lena.id)).toBe(true);
      expect(res.body.currentVersion).toBe(await lastEventId(ticket.id));
      const bodies = (await h.store.db.select().from(messages).where(eq(messages.ticketId, ticket.id))).map((m) => m.body);
      expect(bodies).not.toContain("Here is your answer.");

      // Having reviewed (the new version), the same reply goes through.
      const again = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Here is your answer.", expectedVersion: res.body.currentVersion });
      expect(again.status, again.text).toBe(201);
    });

    it("does not count the writer's own changes nor SLA bookkeeping, and without expectedVersion never checks", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const seen = await lastEventId(ticket.id);
      await t.patch(ticket.id, { priority: "high" }, as.alice);
      await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "A note to self.", kind: "internal" });
      const mine = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Reply after my own changes.", expectedVersion: seen });
      expect(mine.status, mine.text).toBe(201);

      const before = await lastEventId(ticket.id);
      await t.patch(ticket.id, { tags: ["vip"] }, as.lena);
      const unchecked = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "No version sent." });
      expect(unchecked.status, unchecked.text).toBe(201);
      expectProblem(await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Stale.", expectedVersion: before }), 409, "ticket_changed");
    });

    it("tells of a customer's new message, and refuses a version that is not a number", async () => {
      const ticket = await t.openTicket({ customerId: h.org.customers.carol.id });
      const seen = await lastEventId(ticket.id);
      const fromCarol = await send(carol, "POST", `/tickets/${ticket.id}/messages`, { body: "Any news?" });
      expect(fromCarol.status, fromCarol.text).toBe(201);
      const res = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Yes.", expectedVersion: seen });
      expectProblem(res, 409, "ticket_changed");
      expect(res.body.changes.map((e: Json) => e.type)).toContain("message.customer");
      expectInvalid(await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Yes.", expectedVersion: "soon" }), ["body.expectedVersion"]);
    });
  });

  describe("canned replies", () => {
    it("leads write them, agents read them, and a customer is refused", async () => {
      const created = await send(as.lena, "POST", "/canned-replies", {
        title: "Refund on its way",
        body: "Hello {{customer.first_name}},\n\nthe refund for ticket #{{ticket.number}} ({{ticket.subject}}) is on its way.\n\n{{agent.name}}",
      });
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({ title: "Refund on its way", createdById: agents.lena.id });

      expectProblem(await send(as.alice, "POST", "/canned-replies", { title: "Mine", body: "Hi" }), 403, "forbidden");
      expectProblem(await send(as.alice, "PATCH", `/canned-replies/${created.body.id}`, { title: "Renamed" }), 403, "forbidden");
      expectProblem(await send(as.alice, "DELETE", `/canned-replies/${created.body.id}`), 403, "forbidden");
      expectProblem(await send(carol, "GET", "/canned-replies"), 403, "forbidden");

      const listed = await send(as.alice, "GET", "/canned-replies?q=refund");
      expect(listed.status, listed.text).toBe(200);
      expect(listed.body.data.map((r: Json) => r.title)).toContain("Refund on its way");
      expect((await send(as.alice, "GET", "/canned-replies?q=nothing-like-this")).body.data).toEqual([]);

      const renamed = await send(as.admin, "PATCH", `/canned-replies/${created.body.id}`, { title: "Refund sent" });
      expect(renamed.status, renamed.text).toBe(200);
      expect(renamed.body.title).toBe("Refund sent");
    });

    it("fills the placeholders for the ticket's customer and the agent inserting it", async () => {
      const customer = uniqueCustomer();
      const ticket = await t.openTicket({ customer: { ...customer, name: "Wilma Flint" }, subject: "Refund please" });
      const [reply] = await h.store.db
        .insert(cannedReplies)
        .values({ title: `greeting ${ticket.number}`, body: "Hi {{ customer.first_name }} ({{customer.name}}, {{customer.email}}): #{{ticket.number}} {{ticket.subject}}. {{agent.first_name}} / {{agent.name}}" })
        .returning();
      const res = await send(as.alice, "GET", `/canned-replies/${reply!.id}/render?ticketId=${ticket.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.body).toBe(`Hi Wilma (Wilma Flint, ${customer.email}): #${ticket.number} Refund please. Alice / Alice`);
      // Bob (billing) cannot see the frontline ticket: its details do not leak through a canned reply.
      expectProblem(await send(as.bob, "GET", `/canned-replies/${reply!.id}/render?ticketId=${ticket.id}`), 404, "ticket_not_found");
      expectProblem(await send(as.alice, "GET", `/canned-replies/00000000-0000-4000-8000-000000000000/render?ticketId=${ticket.id}`), 404, "canned_reply_not_found");
      expectInvalid(await send(as.alice, "GET", `/canned-replies/${reply!.id}/render`), ["querystring.ticketId"]);
    });

    it("refuses an unknown placeholder, an unclosed one and a duplicate title, writing nothing", async () => {
      const count = async () => (await h.store.db.select().from(cannedReplies)).length;
      const before = await count();
      const unknown = await send(as.lena, "POST", "/canned-replies", { title: "Bad", body: "Hi {{customer.password}}" });
      expectProblem(unknown, 400, "template_placeholder_unknown");
      expect(unknown.body.detail).toContain("{{customer.password}}");
      expect(unknown.body.detail).toContain("{{customer.name}}");
      expectProblem(await send(as.lena, "POST", "/canned-replies", { title: "Bad", body: "Hi {{customer.name" }), 400, "template_syntax_invalid");
      expectInvalid(await send(as.lena, "POST", "/canned-replies", { title: "", body: "x" }), ["body.title"]);
      await send(as.lena, "POST", "/canned-replies", { title: "Twice", body: "One" });
      expectProblem(await send(as.lena, "POST", "/canned-replies", { title: "Twice", body: "Two" }), 409, "canned_reply_exists");
      expect(await count()).toBe(before + 1);

      const twice = (await send(as.lena, "GET", "/canned-replies?q=Twice")).body.data[0];
      expectProblem(await send(as.lena, "PATCH", `/canned-replies/${twice.id}`, { body: "{{ticket.secret}}" }), 400, "template_placeholder_unknown");
      expect((await send(as.lena, "GET", `/canned-replies/${twice.id}`)).body.body).toBe("One");
      expect((await send(as.lena, "DELETE", `/canned-replies/${twice.id}`)).status).toBe(204);
      expectProblem(await send(as.lena, "GET", `/canned-replies/${twice.id}`), 404, "canned_reply_not_found");
    });
  });

  describe("presence", () => {
    it("shows who views and types, tells other viewers on the stream, and lapses after 30 s", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const lenaStream = await openSse(`${base}/api/v1/stream?ticketId=${ticket.id}`, { authorization: `Bearer ${agents.lena.token}` });
      const carolStream = await openSse(`${base}/api/v1/stream`, { cookie: carol.cookie });
      streams.push(lenaStream, carolStream);

      const viewing = await send(as.alice, "PUT", `/tickets/${ticket.id}/presence`, { state: "viewing" });
      expect(viewing.status, viewing.text).toBe(200);
      expect(viewing.body.data).toEqual([{ agentId: agents.alice.id, name: "Alice", state: "viewing", expiresAt: new Date(h.clock.now().getTime() + 30 * SECOND).toISOString() }]);
      const told = await lenaStream.waitFor((e) => e.event === "presence.changed");
      expect(told.id).toBeUndefined(); // not a timeline event: it must not move the resume point
      expect(told.data).toMatchObject({ ticketId: ticket.id, ticketNumber: ticket.number, viewers: [{ agentId: agents.alice.id, state: "viewing" }] });

      await send(as.alice, "PUT", `/tickets/${ticket.id}/presence`, { state: "typing" });
      await lenaStream.waitFor((e) => e.event === "presence.changed" && e.data.viewers[0]?.state === "typing");
      const seen = await send(as.lena, "GET", `/tickets/${ticket.id}/presence`);
      expect(seen.body.data.map((p: Json) => [p.name, p.state])).toEqual([["Alice", "typing"]]);

      // Without a heartbeat for 30 s, Alice is gone.
      h.clock.advance(31 * SECOND);
      expect((await send(as.lena, "GET", `/tickets/${ticket.id}/presence`)).body.data).toEqual([]);

      await send(as.alice, "PUT", `/tickets/${ticket.id}/presence`, { state: "viewing" });
      const left = await send(as.alice, "DELETE", `/tickets/${ticket.id}/presence`);
      expect(left.status).toBe(204);
      await lenaStream.waitFor((e) => e.event === "presence.changed" && e.data.viewers.length === 0);
      expect(carolStream.received.some((e) => e.event === "presence.changed")).toBe(false);
    });

    it.runIf(testStoreKind() === "postgres")("reaches a viewer connected to another instance on the same database", async () => {
      const [row] = await queryRows<{ name: string }>(h.store.db, sql`select current_database() as name`);
      const store = openPostgresStore(postgresUrlFor(row!.name), 2);
      const other = await buildApp({ store, clock: h.clock, config: loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40) }) });
      try {
        await other.listen({ host: "127.0.0.1", port: 0 });
        const a = other.server.address();
        const ticket = await t.openTicket({ customer: uniqueCustomer() });
        const onB = await openSse(`http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}/api/v1/stream?ticketId=${ticket.id}`, { authorization: `Bearer ${agents.lena.token}` });
        streams.push(onB);
        await send(as.alice, "PUT", `/tickets/${ticket.id}/presence`, { state: "typing" }); // through instance A
        const told = await onB.waitFor((e) => e.event === "presence.changed");
        expect(told.data.viewers).toMatchObject([{ agentId: agents.alice.id, name: "Alice", state: "typing" }]);
        onB.close();
      } finally {
        await other.close();
        await store.close();
      }
    });

    it("is for staff who can see the ticket, with a known state", async () => {
      const ticket = await t.openTicket({ customerId: h.org.customers.carol.id });
      const rows = async () => (await h.store.db.select().from(ticketPresence).where(eq(ticketPresence.ticketId, ticket.id))).length;
      expectProblem(await send(carol, "PUT", `/tickets/${ticket.id}/presence`, { state: "viewing" }), 403, "forbidden");
      expectProblem(await send(as.bob, "PUT", `/tickets/${ticket.id}/presence`, { state: "viewing" }), 404, "ticket_not_found");
      expectProblem(await send(as.bob, "GET", `/tickets/${ticket.id}/presence`), 404, "ticket_not_found");
      expectInvalid(await send(as.alice, "PUT", `/tickets/${ticket.id}/presence`, { state: "sleeping" }), ["body.state"]);
      expect(await rows()).toBe(0);
      // A manager sees every ticket, so may be present on it.
      expect((await send(as.mark, "PUT", `/tickets/${ticket.id}/presence`, { state: "viewing" })).status).toBe(200);
      expect(await rows()).toBe(1);
    });
  });

  describe("GET /customers/{id}", () => {
    it("gives the customer's account, value and the open tickets the caller may see", async () => {
      const sys = h.org.sys;
      const account = await createAccount(sys, { name: `Acme ${Math.random().toString(36).slice(2, 8)}`, tier: "vip", annualValue: 120_000 });
      const customer = await createCustomer(sys, { email: `buyer-${Math.random().toString(36).slice(2, 8)}@acme.test`, name: "Buyer", accountId: account.id });
      const first = await t.openTicket({ customerId: customer.id, subject: "First" });
      const second = await t.openTicket({ customerId: customer.id, subject: "Second" });
      await t.patch(first.id, { status: "resolved" });
      // One of the customer's tickets is with Billing, where Alice cannot see it.
      const billing = await t.openTicket({ customerId: customer.id, subject: "Billing only" });
      await t.escalate(billing.id, { kind: "functional", toTeamId: teams.billing.id }, as.lena);

      const res = await send(as.alice, "GET", `/customers/${customer.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.customer).toMatchObject({ id: customer.id, name: "Buyer", accountId: account.id });
      expect(res.body.customer.passwordHash).toBeUndefined();
      expect(res.body.account).toMatchObject({ id: account.id, tier: "vip", annualValue: 120_000 });
      expect(res.body.openTickets.map((x: Json) => x.number)).toEqual([second.number]);
      expect(res.body).toMatchObject({ openTicketCount: 1, ticketCount: 2 });

      const asManager = await send(as.mark, "GET", `/customers/${customer.id}`);
      expect(asManager.body.openTickets.map((x: Json) => x.subject)).toEqual(["Billing only", "Second"]);
    });

    it("is staff only, and an unknown customer is 404", async () => {
      expectProblem(await send(carol, "GET", `/customers/${h.org.customers.carol.id}`), 403, "forbidden");
      expectProblem(await send(as.alice, "GET", "/customers/00000000-0000-4000-8000-000000000000"), 404, "customer_not_found");
      expectInvalid(await send(as.alice, "GET", "/customers/not-an-id"), ["params.id"]);
    });
  });

  describe("GET /tickets/{id}/clocks: business time left", () => {
    it("counts what is left of the target in the policy's calendar, and says when the calendar is closed", async () => {
      const category = `office-${Math.random().toString(36).slice(2, 8)}`;
      const calendarId = await insertOfficeCalendar(h.store);
      await insertPolicy(h.store, { position: 1, calendarId, conditions: { categories: [category] }, targets: { first_response: { normal: "PT2H" } } });
      h.clock.set("2026-03-04T16:00:00Z"); // a Wednesday, one hour before closing
      const ticket = await t.openTicket({ customer: uniqueCustomer(), category });
      h.clock.advance(30 * MINUTE);
      const clockOf = async () => {
        const res = await send(as.alice, "GET", `/tickets/${ticket.id}/clocks`);
        expect(res.status, res.text).toBe(200);
        return res.body.data.find((c: Json) => c.metric === "first_response");
      };
      let clock = await clockOf();
      expect(clock).toMatchObject({ elapsedMs: 30 * MINUTE, businessRemainingMs: 90 * MINUTE, isOutsideHours: false, dueAt: "2026-03-05T10:00:00.000Z" });

      h.clock.set("2026-03-04T20:00:00Z"); // the office is closed: nothing more is used up
      clock = await clockOf();
      expect(clock).toMatchObject({ businessRemainingMs: HOUR, isOutsideHours: true });

      h.clock.set("2026-03-05T10:30:00Z"); // half an hour past the due time, in business time
      clock = await clockOf();
      expect(clock.businessRemainingMs).toBe(-30 * MINUTE);
      expectProblem(await send(carol, "GET", `/tickets/${ticket.id}/clocks`), 403, "forbidden");
    });
  });
});
