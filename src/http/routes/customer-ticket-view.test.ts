import { afterAll, describe, expect, it } from "vitest";
import { startHarness } from "../../test-support/harness.js";
import { openSse, type SseConnection } from "../../test-support/sse-client.js";
import { ticketApi } from "../../test-support/ticket-api.js";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The staff-only fields a customer's ticket must not carry. */
const STAFF_FIELDS = ["teamId", "levelId", "assigneeId", "tags", "slaPolicyId"];

describe("what customers read: team and level names, never internal ids", async () => {
  const h = await startHarness();
  const { as, send, openTicket, escalate, patch, all, signIn } = ticketApi(h);
  const { agents, teams, levels, customers } = h.org;
  const carol = await signIn("carol@customer.test");
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const address = h.app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const open: SseConnection[] = [];
  afterAll(() => open.forEach((s) => s.close()));
  async function stream(who: { token: string } | { cookie: string }, headers: Record<string, string> = {}) {
    const auth: Record<string, string> = "token" in who ? { authorization: `Bearer ${who.token}` } : { cookie: who.cookie };
    const s = await openSse(`${base}/api/v1/stream`, { ...auth, ...headers });
    open.push(s);
    return s;
  }

  /** A ticket of Carol's that Alice opened, assigned to Bob, tagged, and escalated to Billing. */
  async function escalatedTicket(): Promise<Json> {
    const ticket = await openTicket({ customerId: customers.carol.id, subject: "Charged twice  — ünïcode «quotes»" });
    await patch(ticket.id, { tags: ["vip-watch", "refund-risk"] });
    await escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id });
    return ticket;
  }

  const expectCustomerView = (t: Json, team: string, level: string) => {
    for (const field of STAFF_FIELDS) expect(t, field).not.toHaveProperty(field);
    expect(t.team).toEqual({ name: team });
    expect(t.level).toEqual({ name: level });
    expect(t.customerId).toBe(customers.carol.id);
  };

  describe("GET /tickets/{id}, the list, POST and PATCH", () => {
    it("show the customer the team and level by name, no assignee, tags or team ids", async () => {
      const ticket = await escalatedTicket();
      const one = await send(carol, "GET", `/tickets/${ticket.id}`);
      expect(one.status, one.text).toBe(200);
      expectCustomerView(one.body, "Billing", "L2");
      expect(one.body).toMatchObject({ id: ticket.id, number: ticket.number, subject: "Charged twice  — ünïcode «quotes»", status: expect.any(String) });
      expect(JSON.stringify(one.body)).not.toContain(teams.billing.id);

      const listed = (await all(carol, "/tickets")).find((t) => t.id === ticket.id);
      expectCustomerView(listed, "Billing", "L2");

      const opened = await send(carol, "POST", "/tickets", { subject: "Where is my refund?", description: "Still nothing.", channel: "web" });
      expect(opened.status, opened.text).toBe(201);
      expectCustomerView(opened.body, "Frontline", "L1");

      const closed = await send(carol, "PATCH", `/tickets/${ticket.id}`, { status: "closed" });
      expect(closed.status, closed.text).toBe(200);
      expectCustomerView(closed.body, "Billing", "L2");
    });

    it("still give staff the ids, assignee and tags", async () => {
      const ticket = await escalatedTicket();
      const one = await send(as.admin, "GET", `/tickets/${ticket.id}`);
      expect(one.status, one.text).toBe(200);
      expect(one.body).toMatchObject({ teamId: teams.billing.id, levelId: levels.l2.id, tags: ["vip-watch", "refund-risk"] });
      expect(one.body).toHaveProperty("assigneeId");
      expect(one.body).not.toHaveProperty("team");
      const listed = (await all(as.admin, `/tickets?customerId=${customers.carol.id}`)).find((t) => t.id === ticket.id);
      expect(listed).toMatchObject({ teamId: teams.billing.id, levelId: levels.l2.id });
      expect(listed).not.toHaveProperty("level");
    });

    it("still refuse a customer another customer's ticket", async () => {
      const other = await openTicket({});
      const res = await send(carol, "GET", `/tickets/${other.id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("ticket_not_found");
    });
  });

  describe("GET /api/v1/stream", () => {
    it("sends a customer ticket.created with names, and no agent's id, live and on Last-Event-ID replay", async () => {
      const s = await stream(carol);
      const staff = await stream(as.admin);
      const ticket = await openTicket({ customerId: customers.carol.id });
      const replied = await send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "We are on it." });
      expect(replied.status, replied.text).toBe(201);
      const live = await s.waitFor((e) => e.data?.ticketId === ticket.id && e.event === "ticket.created");
      expect(live.data.actorType).toBe("agent");
      expect(live.data.actorId).toBeNull();
      expect(live.data.data.after).toMatchObject({ team: "Frontline", level: "L1" });
      for (const field of ["teamId", "levelId", "assigneeId"]) expect(live.data.data.after).not.toHaveProperty(field);
      const reply = await s.waitFor((e) => e.data?.ticketId === ticket.id && e.event === "message.public");
      expect(reply.data.actorId).toBeNull();

      // Staff read the event as recorded.
      const staffCreated = await staff.waitFor((e) => e.data?.ticketId === ticket.id && e.event === "ticket.created");
      expect(staffCreated.data.actorId).toBe(agents.alice.id);
      expect(staffCreated.data.data.after).toMatchObject({ teamId: teams.frontline.id, levelId: levels.l1.id });

      // The customer's stream says what their timeline says.
      const timeline = (await all(carol, `/tickets/${ticket.id}/events`)).find((e) => e.type === "ticket.created");
      expect(live.data.data).toEqual(timeline.data);

      // Reconnecting from before the ticket replays it rewritten too.
      const replay = await stream(carol, { "last-event-id": String(Number(live.id) - 1) });
      const replayed = await replay.waitFor((e) => e.data?.ticketId === ticket.id && e.event === "ticket.created");
      expect(replayed.data).toEqual(live.data);
      const replayedReply = await replay.waitFor((e) => e.data?.ticketId === ticket.id && e.event === "message.public");
      expect(replayedReply.data.actorId).toBeNull();
    });
  });
});
