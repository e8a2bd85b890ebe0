import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../config.js";
import { openSse, type ReceivedEvent, type SseConnection } from "../../test-support/sse-client.js";
import { loadStreamEvents, streamEventVisibility } from "../../channels/stream/stream-event.js";
import { canSeeStreamEvent } from "../../channels/stream/visibility.js";
import { queryRows } from "../../db/raw.js";
import { openPostgresStore } from "../../db/store.js";
import type { Principal } from "../../domain/principal.js";
import { events, tickets } from "../../db/schema.js";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { buildApp } from "../app.js";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { postgresUrlFor } from "../../test-support/stores.js";
import { testStoreKind } from "../../test-support/test-store.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

describe("live updates: GET /api/v1/stream", async () => {
  // A one-second heartbeat, so the tests of heartbeats and of ending a signed-out stream finish quickly.
  const h = await startHarness({ TIERLINE_STREAM_HEARTBEAT_SECONDS: "1" });
  const t = ticketApi(h);
  const { as } = t;
  const { agents, customers, teams } = h.org;
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const address = h.app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const open: SseConnection[] = [];
  afterAll(() => open.forEach((s) => s.close()));

  /** Opens a stream as a caller (`{token}` for bearer, `{cookie}` for a session) and waits until it is live. */
  async function stream(who: { token: string } | { cookie: string }, query = "", headers: Record<string, string> = {}) {
    const auth: Record<string, string> = "token" in who ? { authorization: `Bearer ${who.token}` } : { cookie: who.cookie };
    const s = await openSse(`${base}/api/v1/stream${query}`, { ...auth, ...headers });
    open.push(s);
    return s;
  }
  const ofTicket = (s: SseConnection, ticketId: string) => s.received.filter((e) => e.data?.ticketId === ticketId);
  const isEvent = (ticketId: string, type: string) => (e: ReceivedEvent) => e.data?.ticketId === ticketId && e.event === type;

  describe("what an agent's stream carries", () => {
    it("carries a new ticket, a reply, a note and an escalation as they happen, in the documented format", async () => {
      const s = await stream(as.alice);
      expect(s.status).toBe(200);
      expect(s.headers["content-type"]).toMatch(/^text\/event-stream/);
      expect(s.headers["cache-control"]).toMatch(/no-cache/);

      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const created = await s.waitFor(isEvent(ticket.id, "ticket.created"));
      expect(created.id).toBe(String(created.data.id));
      expect(created.data).toMatchObject({
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        type: "ticket.created",
        visibility: "public",
        actorType: "agent",
        actorId: agents.alice.id,
        data: { channel: "email", after: { subject: ticket.subject, teamId: teams.frontline.id } },
        createdAt: h.clock.now().toISOString(),
      });

      const reply = await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "We are looking into it." });
      expect(reply.status, reply.text).toBe(201);
      const replied = await s.waitFor(isEvent(ticket.id, "message.public"));
      expect(replied.data.message).toMatchObject({ id: reply.body.id, kind: "public", body: "We are looking into it.", authorAgentId: agents.alice.id, authorName: "Alice" });

      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Checked the ledger.", kind: "internal" });
      const note = await s.waitFor(isEvent(ticket.id, "message.internal"));
      expect(note.data).toMatchObject({ visibility: "internal", message: { body: "Checked the ledger.", kind: "internal" } });

      const escalation = await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id });
      const escalated = await s.waitFor(isEvent(ticket.id, "escalation.created"));
      expect(escalated.data.data).toMatchObject({ escalationId: escalation.id, teamId: { from: teams.frontline.id, to: teams.billing.id } });

      // The stream shows the same events as the timeline, in the same order.
      const timeline = await t.timeline(ticket.id);
      await s.waitFor((e) => e.data?.id === timeline.at(-1).id);
      expect(ofTicket(s, ticket.id).map((e) => Number(e.id))).toEqual(timeline.map((e) => e.id));
      expect(ofTicket(s, ticket.id).map((e) => e.data.type)).toEqual(timeline.map((e) => e.type));
    });

    it("is open to a signed-in session (the cookie a browser's EventSource sends)", async () => {
      const cookie = await t.signIn(agents.lena.email);
      const s = await stream(cookie);
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      await s.waitFor(isEvent(ticket.id, "ticket.created"));
    });

    it("follows one ticket with ?ticketId=", async () => {
      const followed = await t.openTicket({ customer: uniqueCustomer() });
      const s = await stream(as.alice, `?ticketId=${followed.id}`);
      const other = await t.openTicket({ customer: uniqueCustomer() });
      await t.send(as.alice, "POST", `/tickets/${followed.id}/messages`, { body: "Only this one." });
      await s.waitFor(isEvent(followed.id, "message.public"));
      expect(ofTicket(s, other.id)).toEqual([]);
      expect(s.received.every((e) => e.data.ticketId === followed.id)).toBe(true);
    });
  });

  describe("who sees what", () => {
    it("gives a customer only the public events of their own tickets: no internal notes, no escalations, no other customer", async () => {
      const carol = await t.signIn(customers.carol.email);
      const s = await stream(carol);
      const someoneElses = await t.openTicket({ customer: uniqueCustomer() });
      const own = await t.openTicket({ customerId: customers.carol.id });
      await t.send(as.alice, "POST", `/tickets/${own.id}/messages`, { body: "Customer sounds upset; offer a refund.", kind: "internal" });
      await t.escalate(own.id, { kind: "functional", toTeamId: teams.billing.id });
      await t.send(as.bob, "POST", `/tickets/${own.id}/messages`, { body: "Your refund is on its way." });
      await t.send(as.alice, "POST", `/tickets/${someoneElses.id}/messages`, { body: "Not for Carol." });
      // The sentinel: written last, so everything before it has been fanned out when it arrives.
      const sentinel = await t.openTicket({ customerId: customers.carol.id, subject: "Sentinel" });
      await s.waitFor(isEvent(sentinel.id, "ticket.created"));

      expect(s.received.find(isEvent(own.id, "message.public"))?.data.message.body).toBe("Your refund is on its way.");
      expect(ofTicket(s, someoneElses.id)).toEqual([]);
      expect(s.received.filter((e) => e.data.visibility !== "public")).toEqual([]);
      expect(s.received.some((e) => e.event.startsWith("escalation.") || e.event === "message.internal")).toBe(false);
      // Exactly the public part of the timeline.
      const publicTimeline = (await t.timeline(own.id)).filter((e) => e.visibility === "public");
      expect(ofTicket(s, own.id).map((e) => e.data.id)).toEqual(publicTimeline.map((e) => e.id));
    });

    it("keeps a frontline ticket from an agent of another team until it is escalated to that team", async () => {
      const bob = await stream(as.bob); // Billing
      const tina = await stream(as.tina); // Technical
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "First look done.", kind: "internal" });
      await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id });
      await bob.waitFor(isEvent(ticket.id, "escalation.created"));
      // Bob did not see what happened while it was a frontline ticket.
      expect(ofTicket(bob, ticket.id).map((e) => e.event)).not.toContain("ticket.created");
      expect(ofTicket(bob, ticket.id).map((e) => e.event)).not.toContain("message.internal");

      const sentinel = await t.openTicket({ customer: uniqueCustomer() });
      await t.escalate(sentinel.id, { kind: "functional", toTeamId: teams.technical.id });
      await tina.waitFor(isEvent(sentinel.id, "escalation.created"));
      expect(ofTicket(tina, ticket.id)).toEqual([]);
    });

    /** A ticket under a policy whose resolution breach (after a warning) escalates it to Technical. */
    async function ticketThatEscalatesOnBreach() {
      const category = `breach-${Math.random().toString(36).slice(2, 8)}`;
      await insertPolicy(h.store, {
        conditions: { categories: [category] },
        targets: { resolution: { normal: "PT1H" } },
        steps: [
          { type: "warning", metric: "resolution", atPercent: 50 },
          { type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "team", teamId: teams.technical.id }, raisePriority: false, maxRepeats: 1 },
        ],
      });
      const ticket = await t.openTicket({ customer: uniqueCustomer(), category });
      await t.patch(ticket.id, { assigneeId: agents.alice.id });
      return ticket;
    }
    const drainDeadlines = () => new DeadlineEngine({ store: h.store, clock: h.clock }).drainDue();

    it("shows a team the warning, breach and escalation of its ticket that an automatic escalation moved away, and nothing after", async () => {
      const lena = await stream(as.lena); // L1 lead: sees the ticket by its team only
      const alice = await stream(as.alice); // its assignee at L1: a participant of the escalation
      const tina = await stream(as.tina); // Technical, where the breach sends it
      const ticket = await ticketThatEscalatesOnBreach();
      h.clock.advance(30 * 60_000);
      await drainDeadlines();
      await lena.waitFor(isEvent(ticket.id, "sla.warning"));
      h.clock.advance(30 * 60_000);
      // The breach, the escalation and the move to Technical are one transaction, sent after it committed.
      await drainDeadlines();
      const escalated = await lena.waitFor(isEvent(ticket.id, "escalation.created"));
      expect(escalated.data.data.teamId).toEqual({ from: teams.frontline.id, to: teams.technical.id });
      expect(ofTicket(lena, ticket.id).map((e) => e.event)).toEqual(expect.arrayContaining(["sla.warning", "sla.breached", "escalation.created"]));
      await tina.waitFor(isEvent(ticket.id, "escalation.created"));
      expect(ofTicket(tina, ticket.id).map((e) => e.event)).not.toContain("sla.warning");

      // After the move: Technical works it; the L1 lead is no longer told, the former assignee still is.
      const note = await t.send(as.tina, "POST", `/tickets/${ticket.id}/messages`, { body: "Looking into it.", kind: "internal" });
      expect(note.status, note.text).toBe(201);
      await tina.waitFor(isEvent(ticket.id, "message.internal"));
      await alice.waitFor(isEvent(ticket.id, "message.internal"));
      const sentinel = await t.openTicket({ customer: uniqueCustomer() });
      await lena.waitFor(isEvent(sentinel.id, "ticket.created"));
      expect(ofTicket(lena, ticket.id).map((e) => e.event)).not.toContain("message.internal");

      // A reconnect replays the same: up to the escalation, not the note.
      const [created] = await t.timeline(ticket.id);
      const replayed = await stream(as.lena, "", { "last-event-id": String(created.id - 1) });
      await replayed.waitFor(isEvent(sentinel.id, "ticket.created"));
      expect(ofTicket(replayed, ticket.id).map((e) => e.event)).toEqual(ofTicket(lena, ticket.id).map((e) => e.event));
      expect(ofTicket(replayed, ticket.id).map((e) => e.event)).not.toContain("message.internal");
    });

    it("decides visibility exactly as the ticket policy does", async () => {
      const frontline = await t.openTicket({ customer: uniqueCustomer() });
      const breached = await ticketThatEscalatesOnBreach();
      h.clock.advance(60 * 60_000);
      await drainDeadlines();
      await t.send(as.tina, "POST", `/tickets/${breached.id}/messages`, { body: "Technical note.", kind: "internal" });
      const escalated = await t.openTicket({ customer: uniqueCustomer() });
      await t.escalate(escalated.id, { kind: "functional", toTeamId: teams.billing.id });
      const assigned = await t.openTicket({ customer: uniqueCustomer() });
      await t.escalate(assigned.id, { kind: "functional", toTeamId: teams.technical.id }, as.lena);
      await t.patch(assigned.id, { assigneeId: agents.tina.id });
      const carols = await t.openTicket({ customerId: customers.carol.id });
      await t.send(as.alice, "POST", `/tickets/${carols.id}/messages`, { body: "Note.", kind: "internal" });

      const ids = [frontline, breached, escalated, assigned, carols].map((x) => x.id);
      const [row] = await queryRows<{ ids: string[] }>(
        h.store.db,
        sql`select array_agg(id::text) as ids from events where ticket_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`,
      );
      const loaded = await loadStreamEvents(h.store.db, row!.ids.map(Number));
      const principals: Principal[] = [
        ...Object.values(agents).map((a) => a.principal),
        { kind: "customer", id: customers.carol.id },
        { kind: "customer", id: frontline.customerId },
      ];
      for (const actor of principals) {
        for (const event of loaded) {
          const [visible] = await h.store.db
            .select({ id: events.id })
            .from(events)
            .innerJoin(tickets, eq(tickets.id, events.ticketId))
            .where(and(eq(events.id, event.id), streamEventVisibility(actor)));
          const expected = Boolean(visible);
          expect(canSeeStreamEvent(actor, event), `${JSON.stringify(actor)} on ${event.type} of ${event.ticketNumber}`).toBe(expected);
        }
      }
    });

    it("answers 404 for ?ticketId= of a ticket the caller cannot see, and 401 without credentials", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const hidden = await stream(as.bob, `?ticketId=${ticket.id}`);
      expect(hidden.status).toBe(404);
      expect(hidden.received[0]!.data.code).toBe("ticket_not_found");
      const anonymous = await openSse(`${base}/api/v1/stream`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(anonymous.received[0]!.data.code).toBe("unauthenticated");
    });

    it("refuses a malformed ticket id, lastEventId or Last-Event-ID with 400", async () => {
      expectProblem(await h.api("GET", "/api/v1/stream?ticketId=nope", { token: agents.alice.token }), 400, "validation_failed");
      expectProblem(await h.api("GET", "/api/v1/stream?lastEventId=-1", { token: agents.alice.token }), 400, "validation_failed");
      const res = await h.api("GET", "/api/v1/stream", { token: agents.alice.token, headers: { "last-event-id": "abc" } });
      expectProblem(res, 400, "validation_failed");
      expect(res.body.errors).toEqual([{ path: "headers.last-event-id", message: expect.any(String) }]);
    });
  });

  describe("reconnecting", () => {
    it("replays what was missed after Last-Event-ID, then carries on live", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const [first] = await t.timeline(ticket.id);
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Missed reply." });
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Missed note.", kind: "internal" });
      const missed = (await t.timeline(ticket.id)).slice(1);

      const s = await stream(as.alice, "", { "last-event-id": String(first.id) });
      await s.waitFor((e) => e.data?.id === missed.at(-1).id);
      expect(ofTicket(s, ticket.id).map((e) => e.data.id)).toEqual(missed.map((e) => e.id));
      expect(ofTicket(s, ticket.id).find((e) => e.event === "message.public")?.data.message.body).toBe("Missed reply.");

      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Live again." });
      const live = await s.waitFor((e) => e.data?.message?.body === "Live again.");
      expect(ofTicket(s, ticket.id).map((e) => e.data.id)).toEqual([...missed.map((e) => e.id), live.data.id]);
    });

    it("takes ?lastEventId= on the first connection, the header winning over it, and replays only what the caller may see", async () => {
      const ticket = await t.openTicket({ customerId: customers.carol.id });
      const [created] = await t.timeline(ticket.id);
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Internal only.", kind: "internal" });
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Hello Carol." });
      const timeline = await t.timeline(ticket.id);

      const carol = await t.signIn(customers.carol.email);
      const publicIds = timeline.filter((e) => e.visibility === "public").map((e) => e.id);
      const fromQuery = await stream(carol, `?ticketId=${ticket.id}&lastEventId=${created.id - 1}`);
      await fromQuery.waitFor((e) => e.data?.id === publicIds.at(-1));
      expect(fromQuery.received.map((e) => e.data.id)).toEqual(publicIds);
      expect(fromQuery.received.some((e) => e.event === "message.internal")).toBe(false);

      const reply = timeline.find((e) => e.type === "message.public")!;
      const fromHeader = await stream(carol, `?ticketId=${ticket.id}&lastEventId=${created.id - 1}`, { "last-event-id": String(reply.id - 1) });
      await fromHeader.waitFor((e) => e.data?.id === publicIds.at(-1));
      // The reply and the status change it made; nothing from before the header's id.
      expect(fromHeader.received.map((e) => e.data.id)).toEqual(publicIds.filter((id) => id >= reply.id));
      expect(fromHeader.received[0]!.data.message.body).toBe("Hello Carol.");
    });

    it("fans out a statement too large to list its ids ('resync'), and bounds a replay, announcing what it left out", async () => {
      const s = await stream(as.admin);
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const created = await s.waitFor(isEvent(ticket.id, "ticket.created"));
      // 2,000 ids do not fit in one notification, so the trigger sends 'resync' and listeners catch up.
      await h.store.db.execute(sql`insert into events (ticket_id, type, visibility, actor_type, data, created_at)
        select ${ticket.id}::uuid, 'test.bulk', 'internal', 'system', jsonb_build_object('n', n), now() from generate_series(1, 2000) n`);
      await s.waitFor((e) => e.event === "test.bulk" && e.data.data.n === 2000);
      const bulk = s.received.filter((e) => e.event === "test.bulk");
      expect(bulk.map((e) => e.data.data.n)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));

      const replay = await stream(as.admin, `?ticketId=${ticket.id}`, { "last-event-id": String(created.data.id) });
      await replay.waitFor((e) => e.event === "test.bulk" && e.data.data.n === 2000);
      expect(replay.received[0]).toMatchObject({ event: "resync", data: { replayed: 1000 } });
      const replayed = replay.received.slice(1);
      expect(replayed).toHaveLength(1000);
      expect(replayed.map((e) => e.data.data.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1001));
    });
  });

  describe("the connection", () => {
    it("sends heartbeat comments and is cleaned up when the client goes away", async () => {
      const before = h.app.liveUpdates.size;
      const s = await stream(as.alice);
      expect(h.app.liveUpdates.size).toBe(before + 1);
      await s.waitForComment((c) => c === "heartbeat");
      s.close();
      await vi.waitFor(() => expect(h.app.liveUpdates.size).toBe(before), { timeout: 5_000, interval: 20 });
    });

    it("ends the stream of a session that signs out (checked at each heartbeat)", async () => {
      const carol = (await t.signIn(customers.carol.email)) as { cookie: string };
      const s = await stream(carol);
      const out = await h.api("POST", "/api/v1/auth/logout", { cookie: carol.cookie });
      expect(out.status).toBe(204);
      await s.ended;
    });
  });

  describe("several instances on one PostgreSQL database", () => {
    const onPostgres = testStoreKind() === "postgres";
    let other: Awaited<ReturnType<typeof buildApp>> | undefined;
    let otherBase = "";
    let closeOther = async () => {};
    beforeAll(async () => {
      if (!onPostgres) return;
      const [row] = await queryRows<{ name: string }>(h.store.db, sql`select current_database() as name`);
      const store = openPostgresStore(postgresUrlFor(row!.name), 2);
      other = await buildApp({ store, clock: h.clock, config: loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40) }) });
      await other.listen({ host: "127.0.0.1", port: 0 });
      const a = other.server.address();
      otherBase = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
      closeOther = async () => {
        await other!.close();
        await store.close();
      };
    });
    afterAll(() => closeOther());

    it.runIf(onPostgres)("delivers an event written through instance A to a stream on instance B", async () => {
      const s = await openSse(`${otherBase}/api/v1/stream`, { authorization: `Bearer ${agents.alice.token}` });
      open.push(s);
      const ticket = await t.openTicket({ customer: uniqueCustomer() }); // through instance A (the harness)
      await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Written on A." });
      const reply = await s.waitFor(isEvent(ticket.id, "message.public"));
      expect(reply.data.message.body).toBe("Written on A.");
      const timeline = await t.timeline(ticket.id);
      await s.waitFor((e) => e.data?.id === timeline.at(-1).id);
      expect(ofTicket(s, ticket.id).map((e) => e.data.id)).toEqual(timeline.map((e) => e.id));
      expect(other!.liveUpdates.size).toBe(1);
    });
  });
});
