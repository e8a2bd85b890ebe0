import { Writable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { hashToken } from "../../auth/tokens.js";
import { openSse, type ReceivedEvent, type SseConnection } from "../../test-support/sse-client.js";
import { ConfigError, loadConfig } from "../../config.js";
import { queryRows } from "../../db/raw.js";
import { chatConversations, customers } from "../../db/schema.js";
import { buildApp } from "../app.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi } from "../../test-support/ticket-api.js";

describe("web chat: /api/v1/chat", async () => {
  const h = await startHarness({ TIERLINE_CHAT_START_RATE_LIMIT: "1000", TIERLINE_CHAT_MESSAGE_RATE_LIMIT: "1000" });
  const t = ticketApi(h);
  const { as } = t;
  const { agents, customers: people, teams } = h.org;
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const address = h.app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const open: SseConnection[] = [];
  afterAll(() => open.forEach((s) => s.close()));

  let visitors = 0;
  /** Starts a conversation as a new visitor (or as told) and returns the 201 body. */
  async function startChat(overrides: Record<string, unknown> = {}) {
    visitors += 1;
    const res = await h.api("POST", "/api/v1/chat/conversations", {
      body: { name: `Visitor ${visitors}`, email: `visitor-${visitors}-${Date.now()}@web.test`, message: "Hi, my order has not arrived.", ...overrides },
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }
  const withToken = (token: string) => ({ headers: { "x-tierline-chat-token": token } });
  async function chatStream(conversationId: string, token: string, query = "") {
    const s = await openSse(`${base}/api/v1/chat/conversations/${conversationId}/stream?token=${encodeURIComponent(token)}${query}`);
    open.push(s);
    return s;
  }
  const counts = async () => {
    const [row] = await queryRows<{ customers: number; tickets: number; conversations: number; messages: number }>(
      h.store.db,
      sql`select (select count(*) from customers)::int as customers, (select count(*) from tickets)::int as tickets,
                 (select count(*) from chat_conversations)::int as conversations, (select count(*) from messages)::int as messages`,
    );
    return row!;
  };

  describe("POST /chat/conversations", () => {
    it("opens a chat ticket on the named team for a new customer and returns a token that is stored only hashed", async () => {
      const chat = await startChat({ name: "Vera Visitor", email: "Vera@Web.TEST", message: "My parcel is lost.\nOrder 1234.", team: "billing" });
      expect(chat.token).toMatch(/^tl_chat_[A-Za-z0-9_-]{40,}$/);
      expect(chat.conversation).toMatchObject({ status: "new", visitorName: "Vera Visitor", ticketNumber: expect.any(Number) });
      expect(chat.messages).toEqual([
        { id: chat.conversation.ticketId, from: "visitor", authorName: "Vera Visitor", body: "My parcel is lost.\nOrder 1234.", createdAt: h.clock.now().toISOString() },
      ]);

      const ticket = await t.ticket(chat.conversation.ticketId);
      expect(ticket).toMatchObject({ channel: "chat", teamId: teams.billing.id, subject: "Chat: My parcel is lost.", description: "My parcel is lost.\nOrder 1234." });
      const [customer] = await h.store.db.select().from(customers).where(eq(customers.id, ticket.customerId));
      expect(customer).toMatchObject({ email: "vera@web.test", name: "Vera Visitor" });
      const [created] = await t.timeline(ticket.id);
      expect(created).toMatchObject({ type: "ticket.created", actorType: "customer", actorId: customer!.id });
      expect(chat.lastEventId).toBe((await t.timeline(ticket.id)).at(-1).id);

      const [row] = await h.store.db.select().from(chatConversations).where(eq(chatConversations.id, chat.conversation.id));
      expect(row!.tokenHash).toBe(hashToken(chat.token));
      const [leak] = await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from chat_conversations where token_hash = ${chat.token}`);
      expect(leak!.n).toBe(0);
    });

    it("gives each chat an unverified contact of its own, never the customer who has the address, and lands on the default team without a team name", async () => {
      const first = await startChat({ email: "returning@web.test" });
      const second = await startChat({ email: "RETURNING@web.test", name: "Another Name" });
      const [a, b] = [await t.ticket(first.conversation.ticketId), await t.ticket(second.conversation.ticketId)];
      expect(b.customerId).not.toBe(a.customerId);
      expect(b.id).not.toBe(a.id);
      expect(b.teamId).toBe(teams.frontline.id);
      expect(second.conversation).toMatchObject({ visitorName: "Another Name", verified: false });
      expect(second.verificationMailSent).toBe(true);
      const carols = await startChat({ email: people.carol.email });
      const contactId = (await t.ticket(carols.conversation.ticketId)).customerId;
      expect(contactId).not.toBe(people.carol.id);
      const [contact] = await h.store.db.select().from(customers).where(eq(customers.id, contactId));
      expect(contact).toMatchObject({ email: people.carol.email, tier: "standard", accountId: null, unverified: true });
    });

    it("refuses bad input with 400 (or 404 for an unknown team) and writes nothing", async () => {
      const before = await counts();
      const post = (body: unknown) => h.api("POST", "/api/v1/chat/conversations", { body });
      expectInvalid(await post({ email: "x@web.test", message: "Hello" }), ["body.name"]);
      expectInvalid(await post({ name: "X", email: "not-an-email", message: "Hello" }), ["body.email"]);
      expectInvalid(await post({ name: "X", email: "x@web.test", message: "   " }), ["body.message"]);
      expectInvalid(await post({ name: "X", email: "x@web.test", message: "a".repeat(10_001) }), ["body.message"]);
      expectProblem(await post("just text"), 415, "unsupported_media_type"); // a text/plain body
      expectProblem(await post({ name: "X", email: "x@web.test", message: "Hello", team: "No Such Team" }), 404, "team_not_found");
      expect(await counts()).toEqual(before);
    });
  });

  describe("the conversation token", () => {
    it("opens its own conversation only: another conversation's token, or none, gets nothing and writes nothing", async () => {
      const a = await startChat();
      const b = await startChat();
      expect((await h.api("GET", `/api/v1/chat/conversations/${a.conversation.id}`, withToken(a.token))).status).toBe(200);

      expectProblem(await h.api("GET", `/api/v1/chat/conversations/${a.conversation.id}`, withToken(b.token)), 404, "chat_conversation_not_found");
      expectProblem(await h.api("GET", `/api/v1/chat/conversations/${a.conversation.id}`), 401, "unauthenticated");
      const before = await counts();
      expectProblem(await h.api("POST", `/api/v1/chat/conversations/${a.conversation.id}/messages`, { ...withToken(b.token), body: { body: "sneaky" } }), 404, "chat_conversation_not_found");
      expectProblem(await h.api("POST", `/api/v1/chat/conversations/${a.conversation.id}/messages`, { body: { body: "anonymous" } }), 401, "unauthenticated");
      expect(await counts()).toEqual(before);

      const stolen = await openSse(`${base}/api/v1/chat/conversations/${a.conversation.id}/stream?token=${encodeURIComponent(b.token)}`);
      expect(stolen.status).toBe(404);
      expect(stolen.received[0]!.data.code).toBe("chat_conversation_not_found");
      // Nor does it open the customer's other tickets, or the staff API.
      expectProblem(await h.api("GET", `/api/v1/tickets/${a.conversation.ticketId}`, { token: a.token }), 401, "unauthenticated");
      expectProblem(await h.api("GET", "/api/v1/chat/conversations/not-a-uuid", withToken(a.token)), 400, "validation_failed");
    });
  });

  describe("messages both ways", () => {
    it("puts the visitor's messages on the ticket as customer messages, live on the agents' stream", async () => {
      const chat = await startChat();
      const alice = await openSse(`${base}/api/v1/stream`, { authorization: `Bearer ${agents.alice.token}` });
      open.push(alice);
      const res = await h.api("POST", `/api/v1/chat/conversations/${chat.conversation.id}/messages`, { ...withToken(chat.token), body: { body: "  Any news?  " } });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({ from: "visitor", body: "Any news?", authorName: chat.conversation.visitorName });

      const seen = await alice.waitFor((e) => e.event === "message.customer" && e.data.ticketId === chat.conversation.ticketId);
      expect(seen.data.message).toMatchObject({ id: res.body.id, kind: "customer", body: "Any news?" });
      const messages = await t.all(as.alice, `/tickets/${chat.conversation.ticketId}/messages`);
      expect(messages).toEqual([expect.objectContaining({ id: res.body.id, kind: "customer", authorCustomerId: expect.any(String) })]);
    });

    it("streams the agents' public replies to the visitor, never an internal note or another conversation", async () => {
      const chat = await startChat();
      const other = await startChat();
      const s = await chatStream(chat.conversation.id, chat.token);
      expect(s.status).toBe(200);
      expect(s.headers["content-type"]).toMatch(/^text\/event-stream/);

      await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "Internal: check the courier.", kind: "internal" });
      await t.send(as.alice, "POST", `/tickets/${other.conversation.ticketId}/messages`, { body: "Reply to someone else." });
      h.clock.advance(60_000);
      const reply = await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "<b>Your parcel</b> is on its way." });
      expect(reply.status, reply.text).toBe(201);
      const got = await s.waitFor((e) => e.event === "message.public");
      expect(got.data.message).toMatchObject({ id: reply.body.id, body: "<b>Your parcel</b> is on its way.", authorName: "Alice" });

      h.clock.advance(60_000);
      const sentinel = await h.api("POST", `/api/v1/chat/conversations/${chat.conversation.id}/messages`, { ...withToken(chat.token), body: { body: "Thanks!" } });
      await s.waitFor((e) => e.data?.message?.id === sentinel.body.id);
      expect(s.received.every((e: ReceivedEvent) => e.data.ticketId === chat.conversation.ticketId && e.data.visibility === "public")).toBe(true);
      expect(JSON.stringify(s.received)).not.toContain("Internal: check the courier.");
      expect(JSON.stringify(s.received)).not.toContain("someone else");

      const history = await h.api("GET", `/api/v1/chat/conversations/${chat.conversation.id}`, withToken(chat.token));
      expect(history.body.messages.map((m: { from: string; body: string }) => [m.from, m.body])).toEqual([
        ["visitor", "Hi, my order has not arrived."],
        ["agent", "<b>Your parcel</b> is on its way."],
        ["visitor", "Thanks!"],
      ]);
    });

    it("replays on the conversation's stream what was missed since lastEventId", async () => {
      const chat = await startChat();
      await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "Written while you were away." });
      const s = await chatStream(chat.conversation.id, chat.token, `&lastEventId=${chat.lastEventId}`);
      const got = await s.waitFor((e) => e.event === "message.public");
      expect(got.data.message.body).toBe("Written while you were away.");
      const resumed = await openSse(`${base}/api/v1/chat/conversations/${chat.conversation.id}/stream`, {
        "x-tierline-chat-token": chat.token,
        "last-event-id": String(got.data.id),
      });
      open.push(resumed);
      await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "And now live." });
      await resumed.waitFor((e) => e.event === "message.public");
      expect(resumed.received.filter((e) => e.event === "message.public").map((e) => e.data.message.body)).toEqual(["And now live."]);
    });

    it("answers 409 ticket_closed once the ticket is closed", async () => {
      const chat = await startChat();
      await t.patch(chat.conversation.ticketId, { status: "closed" });
      const res = await h.api("POST", `/api/v1/chat/conversations/${chat.conversation.id}/messages`, { ...withToken(chat.token), body: { body: "Hello?" } });
      expectProblem(res, 409, "ticket_closed");
      expectInvalid(await h.api("POST", `/api/v1/chat/conversations/${chat.conversation.id}/messages`, { ...withToken(chat.token), body: { body: "" } }), ["body.body"]);
    });
  });

  describe("CORS, rate limits, logs", async () => {
    const logs: string[] = [];
    const strict = await buildApp({
      store: h.store,
      clock: h.clock,
      config: loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40), TIERLINE_CHAT_ORIGINS: "https://shop.example, http://127.0.0.1:8080", TIERLINE_CHAT_START_RATE_LIMIT: "2" }),
      logger: { level: "info", stream: new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }) },
    });
    afterAll(() => strict.close());

    it("answers preflight and requests from any origin by default, on the chat endpoints only", async () => {
      const pre = await h.app.inject({
        method: "OPTIONS",
        url: "/api/v1/chat/conversations",
        headers: { origin: "https://anywhere.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers["access-control-allow-origin"]).toBe("*");
      expect(String(pre.headers["access-control-allow-headers"])).toContain("x-tierline-chat-token");
      expect(pre.headers["access-control-allow-credentials"]).toBeUndefined();
      const res = await h.api("POST", "/api/v1/chat/conversations", { headers: { origin: "https://anywhere.example" }, body: {} });
      expect(res.status).toBe(400);
      expect(res.headers["access-control-allow-origin"]).toBe("*"); // the widget can read the problem
      const staff = await h.api("GET", "/api/v1/tickets", { token: agents.alice.token, headers: { origin: "https://anywhere.example" } });
      expect(staff.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("allows only TIERLINE_CHAT_ORIGINS when set", async () => {
      const allowed = await strict.inject({ method: "OPTIONS", url: "/api/v1/chat/conversations/x/messages", headers: { origin: "https://shop.example" } });
      expect(allowed.statusCode).toBe(204);
      expect(allowed.headers["access-control-allow-origin"]).toBe("https://shop.example");
      expect(allowed.headers.vary).toContain("Origin");
      const other = await strict.inject({ method: "POST", url: "/api/v1/chat/conversations", headers: { origin: "https://evil.example" }, payload: {} });
      expect(other.statusCode).toBe(403);
      expect(other.json().code).toBe("forbidden");
      expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("limits new conversations per client address", async () => {
      const start = () =>
        strict.inject({ method: "POST", url: "/api/v1/chat/conversations", payload: { name: "Rita", email: "rita@web.test", message: "Hello" } });
      expect((await start()).statusCode).toBe(201);
      expect((await start()).statusCode).toBe(201);
      const before = await counts();
      const third = await start();
      expect(third.statusCode).toBe(429);
      expect(third.json().code).toBe("rate_limited");
      expect(await counts()).toEqual(before);
    });

    it("keeps the token of a stream URL out of the request log", async () => {
      const chat = await startChat();
      logs.length = 0;
      await strict.inject({ method: "GET", url: `/api/v1/chat/conversations/${chat.conversation.id}`, headers: { "x-tierline-chat-token": chat.token } });
      expect(logs.join("")).toContain(`/api/v1/chat/conversations/${chat.conversation.id}`); // requests are logged…
      const wrong = `tl_chat_${"x".repeat(43)}`;
      const res = await strict.inject({ method: "GET", url: `/api/v1/chat/conversations/${chat.conversation.id}/stream?token=${wrong}` });
      expect(res.statusCode).toBe(404);
      expect(logs.join("")).not.toContain(wrong); // …but not the stream's, whose URL carries the token
      expect(logs.join("")).not.toContain(chat.token);
    });

    it("rejects a malformed TIERLINE_CHAT_ORIGINS at start-up", () => {
      expect(() => loadConfig({ TIERLINE_CHAT_ORIGINS: "shop.example" })).toThrow(ConfigError);
      expect(() => loadConfig({ TIERLINE_CHAT_ORIGINS: "https://shop.example/path" })).toThrow(ConfigError);
      expect(loadConfig({ TIERLINE_CHAT_ORIGINS: "https://Shop.example:443 , http://a.test:8080" }).chatOrigins).toEqual(["https://shop.example", "http://a.test:8080"]);
      expect(loadConfig({}).chatOrigins).toBe("*");
    });
  });

  describe("GET /chat/widget.js", () => {
    it("serves the widget publicly as JavaScript with cache headers and an ETag", async () => {
      const res = await h.api("GET", "/chat/widget.js");
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(res.headers["cache-control"]).toBe("public, max-age=300");
      expect(res.headers["cross-origin-resource-policy"]).toBe("cross-origin");
      expect(res.text).toContain("attachShadow");
      expect(res.text).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
      const again = await h.api("GET", "/chat/widget.js", { headers: { "if-none-match": String(res.headers.etag) } });
      expect(again.status).toBe(304);
    });
  });
});
