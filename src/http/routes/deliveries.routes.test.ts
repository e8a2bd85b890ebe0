import { drainWebhooks } from "../../test-support/drain-webhooks.js";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../test-support/webhook-receiver.js";
import { deliveries } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe("the delivery log", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  let working: Receiver;
  let hookOk: Json;
  let hookDown: Json;
  let first: Json;
  let second: Json;
  let unreachableUrl: string;

  // One attempt: a failure is dead at once.
  const drain = () => drainWebhooks(h, 1);

  beforeAll(async () => {
    working = await startReceiver();
    const closed = await startReceiver();
    unreachableUrl = `${closed.origin}/services/T000/B000/sEcReTtOkEn`;
    await closed.close();
    hookOk = (await t.send(as.admin, "POST", "/webhooks", { name: "Working", url: working.url, events: ["ticket.created"] })).body;
    hookDown = (await t.send(as.admin, "POST", "/webhooks", { name: "Down", url: unreachableUrl, events: ["ticket.created"], format: "slack" })).body;
    first = await t.openTicket({ customer: uniqueCustomer(), subject: "First" });
    second = await t.openTicket({ customer: uniqueCustomer(), subject: "Second" });
    expect(await drain()).toMatchObject({ dispatched: 2, delivered: 2, dead: 2 });
  });
  afterAll(() => working.close());

  it("lists deliveries newest first, page by page, with filters", async () => {
    const all = await t.all(as.admin, "/deliveries", 1);
    expect(all).toHaveLength(4);
    expect(all.map((d) => d.id)).toEqual([...all.map((d) => d.id)].sort((a, b) => b - a));
    expect(all.map((d) => [d.ticketId, d.webhookId, d.status])).toEqual([
      [second.id, hookDown.id, "dead"],
      [second.id, hookOk.id, "delivered"],
      [first.id, hookDown.id, "dead"],
      [first.id, hookOk.id, "delivered"],
    ]);
    const [dead] = all;
    expect(dead).toMatchObject({ channel: "webhook", topic: "ticket.created", attempts: 1, nextAttemptAt: null, deliveredAt: null });
    expect(dead.lastError).toMatch(/^could not reach 127\.0\.0\.1:\d+: ECONNREFUSED$/);
    expect(dead.idempotencyKey).toMatch(new RegExp(`^webhook:\\d+:${hookDown.id}$`));
    expect(dead).not.toHaveProperty("payload");

    expect((await t.all(as.admin, "/deliveries?status=dead")).map((d) => d.webhookId)).toEqual([hookDown.id, hookDown.id]);
    expect((await t.all(as.admin, `/deliveries?ticketId=${first.id}`)).map((d) => d.status)).toEqual(["dead", "delivered"]);
    expect((await t.all(as.admin, `/deliveries?webhookId=${hookOk.id}&status=delivered&channel=webhook`)).map((d) => d.ticketId)).toEqual([second.id, first.id]);
    expect(await t.all(as.admin, "/deliveries?channel=email")).toEqual([]);
  });

  it("shows one delivery with the message it sends", async () => {
    const [latest] = await t.all(as.admin, `/deliveries?webhookId=${hookOk.id}`);
    const res = await t.send(as.admin, "GET", `/deliveries/${latest.id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ ...latest, payload: { format: "json" } });
    expect(JSON.parse(res.body.payload.body)).toMatchObject({ id: latest.idempotencyKey, type: "ticket.created", data: { ticket: { subject: "Second" } } });
    expectProblem(await t.send(as.admin, "GET", "/deliveries/999999"), 404, "delivery_not_found");
    expectInvalid(await t.send(as.admin, "GET", "/deliveries/abc"), ["params.id"]);
    expectInvalid(await t.send(as.admin, "GET", "/deliveries/0"), ["params.id"]);
  });

  it("shows managers a webhook URL without its path, which may be a secret", async () => {
    const forAdmin = await t.all(as.admin, `/deliveries?webhookId=${hookDown.id}`);
    expect(forAdmin[0].destination).toBe(unreachableUrl);
    const forManager = await t.all(as.mark, `/deliveries?webhookId=${hookDown.id}`);
    expect(forManager[0].destination).toBe(`${new URL(unreachableUrl).origin}/…`);
    const detail = await t.send(as.mark, "GET", `/deliveries/${forManager[0].id}`);
    expect(detail.text).not.toContain("sEcReTtOkEn");
  });

  it("puts a dead delivery back in line, and refuses to retry one that is not dead", async () => {
    const [dead] = await t.all(as.admin, `/deliveries?webhookId=${hookDown.id}&ticketId=${first.id}`);
    expectProblem(await t.send(as.alice, "POST", `/deliveries/${dead.id}/retry`), 403, "forbidden");
    const res = await t.send(as.mark, "POST", `/deliveries/${dead.id}/retry`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: dead.id, status: "pending", attempts: 0, nextAttemptAt: h.clock.now().toISOString() });
    expectProblem(await t.send(as.mark, "POST", `/deliveries/${dead.id}/retry`), 409, "delivery_not_dead");
    const [delivered] = await t.all(as.admin, `/deliveries?status=delivered`);
    expectProblem(await t.send(as.admin, "POST", `/deliveries/${delivered.id}/retry`), 409, "delivery_not_dead");
    const [row] = await h.store.db.select().from(deliveries).where(eq(deliveries.id, delivered.id));
    expect(row!.status).toBe("delivered");
    expectProblem(await t.send(as.admin, "POST", "/deliveries/999999/retry"), 404, "delivery_not_found");

    // The webhook's URL is fixed: the retry goes through.
    const patched = await t.send(as.admin, "PATCH", `/webhooks/${hookDown.id}`, { url: working.url });
    expect(patched.status).toBe(200);
    const before = working.requests.length;
    expect(await drain()).toMatchObject({ delivered: 1 });
    expect(working.requests).toHaveLength(before + 1);
    expect((await t.send(as.admin, "GET", `/deliveries/${dead.id}`)).body).toMatchObject({ status: "delivered", attempts: 1, lastError: null });
  });

  it("lists a ticket's deliveries for staff who may see the ticket", async () => {
    const forAlice = await t.all(as.alice, `/tickets/${first.id}/deliveries`);
    expect(forAlice.map((d) => d.ticketId)).toEqual([first.id, first.id]);
    // Alice may see the ticket, but webhook URLs are for admins.
    expect(forAlice.every((d) => !d.destination.includes("/hooks/"))).toBe(true);
    expectProblem(await t.send(as.bob, "GET", `/tickets/${first.id}/deliveries`), 404, "ticket_not_found");
    const customer = await t.signIn(h.org.customers.carol.email);
    expectProblem(await t.send(customer, "GET", `/tickets/${first.id}/deliveries`), 403, "forbidden");
  });

  it("is for managers and admins", async () => {
    const customer = await t.signIn(h.org.customers.carol.email);
    for (const who of [as.alice, as.lena, as.bob, customer]) {
      expectProblem(await t.send(who, "GET", "/deliveries"), 403, "forbidden");
      expectProblem(await t.send(who, "GET", "/deliveries/1"), 403, "forbidden");
    }
    expect((await t.send(as.mark, "GET", "/deliveries")).status).toBe(200);
    expectProblem(await t.send(undefined, "GET", "/deliveries"), 401, "unauthenticated");
  });

  it("refuses bad filters with the failing fields", async () => {
    expectInvalid(await t.send(as.admin, "GET", "/deliveries?status=lost&channel=pigeon"), ["querystring.status", "querystring.channel"]);
    expectInvalid(await t.send(as.admin, "GET", "/deliveries?ticketId=42"), ["querystring.ticketId"]);
    expectInvalid(await t.send(as.admin, "GET", "/deliveries?cursor=not-ours"), ["querystring.cursor"]);
    expectInvalid(await t.send(as.admin, "GET", "/deliveries?limit=0"), ["querystring.limit"]);
  });
});
