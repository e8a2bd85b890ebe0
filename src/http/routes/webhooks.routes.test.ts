import { drainWebhooks } from "../../test-support/drain-webhooks.js";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../channels/webhooks/signature.js";
import { startReceiver, type Receiver } from "../../test-support/webhook-receiver.js";
import { deliveries, webhookSubscriptions } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

describe("webhooks", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const receivers: Receiver[] = [];
  afterAll(async () => {
    for (const r of receivers) await r.close();
  });
  afterEach(async () => {
    await h.store.db.update(webhookSubscriptions).set({ active: false });
    await drain();
  });

  async function receiver() {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  }
  const drain = () => drainWebhooks(h, 3);
  async function create(body: Record<string, unknown>) {
    const res = await t.send(as.admin, "POST", "/webhooks", body);
    expect(res.status, res.text).toBe(201);
    return res.body;
  }
  const count = async () => (await h.store.db.select({ id: webhookSubscriptions.id }).from(webhookSubscriptions)).length;

  it("creates a webhook and shows its generated secret once", async () => {
    const r = await receiver();
    const hook = await create({ name: "CRM", url: r.url, events: ["escalation.created", "sla.*", "sla.*"] });
    expect(hook).toMatchObject({ name: "CRM", url: r.url, events: ["escalation.created", "sla.*"], format: "json", active: true, createdById: h.org.agents.admin.id });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const one = await t.send(as.admin, "GET", `/webhooks/${hook.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty("secret");
    expect(one.text).not.toContain(hook.secret);
    const list = await t.all(as.admin, "/webhooks");
    expect(list.map((w) => w.id)).toContain(hook.id);
    expect(JSON.stringify(list)).not.toContain(hook.secret);

    const events = await t.send(as.admin, "GET", "/webhooks/events");
    expect(events.body.events).toEqual(expect.arrayContaining(["ticket.created", "escalation.acknowledged", "sla.warning", "approval.requested", "message.public", "sla.*"]));
  });

  it("delivers through the outbox, signed with the secret given, and sends nothing for other topics", async () => {
    const r = await receiver();
    const hook = await create({ name: "Escalations", url: r.url, events: ["escalation.created"], secret: "my-own-secret-0123456789" });
    expect(hook.secret).toBe("my-own-secret-0123456789");
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    await drain();
    expect(r.requests).toHaveLength(0); // ticket.created is not in its filter

    await t.escalate(ticket.id, { kind: "functional", toTeamId: h.org.teams.billing.id });
    await drain();
    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    const now = Math.floor(h.clock.now().getTime() / 1000);
    expect(verifyWebhookSignature({ secret: "my-own-secret-0123456789", header: String(req!.headers["tierline-signature"]), body: req!.body, nowSec: now })).toBe(true);
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({
      type: "escalation.created",
      data: { ticketId: ticket.id, toTeamId: h.org.teams.billing.id, ticket: { number: ticket.number, team: { name: "Billing" } } },
    });
    // Kind, reason and the team it came from (issue 9, small gaps); never the handover note.
    expect(body.data).toMatchObject({
      kind: "functional",
      reason: "needs_expertise",
      fromTeam: { id: h.org.teams.frontline.id, name: "Frontline" },
      fromLevelId: h.org.levels.l1.id,
      toTeam: { id: h.org.teams.billing.id, name: "Billing" },
    });
    expect(req!.body).not.toContain("charged twice for November");
    expect(body.id).toBe(req!.headers["tierline-delivery"]);
  });

  it("posts a readable message with a link to Slack and Teams incoming webhooks", async () => {
    const slack = await receiver();
    const teams = await receiver();
    await create({ name: "Slack", url: slack.url, events: ["ticket.created"], format: "slack" });
    await create({ name: "Teams", url: teams.url, events: ["ticket.created"], format: "teams" });
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Refund <now> & fast", priority: "high" });
    await drain();
    const link = `${h.config.publicUrl}/tickets/${ticket.number}`;
    const slackBody = JSON.parse(slack.requests[0]!.body);
    expect(slackBody).toEqual({ text: `*New ticket* · <${link}|#${ticket.number} Refund &lt;now&gt; &amp; fast> · (new, priority high, Frontline)` });
    const card = JSON.parse(teams.requests[0]!.body);
    expect(card).toMatchObject({
      "@type": "MessageCard",
      title: `New ticket: #${ticket.number} Refund <now> & fast`,
      potentialAction: [{ "@type": "OpenUri", targets: [{ uri: link }] }],
    });
  });

  it("changes a webhook, and a new URL takes the pending retries with it", async () => {
    const closed = await startReceiver();
    await closed.close();
    const hook = await create({ name: "Wrong URL", url: closed.url, events: ["ticket.created"] });
    await t.openTicket({ customer: uniqueCustomer() });
    await drain();
    const [pending] = await h.store.db.select().from(deliveries).where(eq(deliveries.subscriptionId, hook.id));
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });

    const r = await receiver();
    const res = await t.send(as.admin, "PATCH", `/webhooks/${hook.id}`, { url: r.url, name: "Right URL" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: "Right URL", url: r.url, events: ["ticket.created"] });
    expect(res.body).not.toHaveProperty("secret");
    h.clock.set(pending!.nextAttemptAt);
    await drain();
    expect(r.requests).toHaveLength(1);
    const [done] = await h.store.db.select().from(deliveries).where(eq(deliveries.id, pending!.id));
    expect(done).toMatchObject({ status: "delivered", destination: r.url });

    const off = await t.send(as.admin, "PATCH", `/webhooks/${hook.id}`, { active: false });
    expect(off.body.active).toBe(false);
    await t.openTicket({ customer: uniqueCustomer() });
    await drain();
    expect(r.requests).toHaveLength(1);
  });

  it("rotates the secret: the answer shows the new one, and the next send is signed with it", async () => {
    const r = await receiver();
    const hook = await create({ name: "Rotating", url: r.url, events: ["ticket.created"] });
    const rotated = await t.send(as.admin, "POST", `/webhooks/${hook.id}/rotate-secret`, {});
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);
    await t.openTicket({ customer: uniqueCustomer() });
    await drain();
    const [req] = r.requests;
    const check = (secret: string) =>
      verifyWebhookSignature({ secret, header: String(req!.headers["tierline-signature"]), body: req!.body, nowSec: Math.floor(h.clock.now().getTime() / 1000) });
    expect(check(rotated.body.secret)).toBe(true);
    expect(check(hook.secret)).toBe(false);

    const given = await t.send(as.admin, "POST", `/webhooks/${hook.id}/rotate-secret`, { secret: "chosen-by-the-admin-42" });
    expect(given.body.secret).toBe("chosen-by-the-admin-42");
    expectInvalid(await t.send(as.admin, "POST", `/webhooks/${hook.id}/rotate-secret`, { secret: "short" }), ["body.secret"]);
  });

  it("deletes a webhook and gives up its pending deliveries", async () => {
    const closed = await startReceiver();
    await closed.close();
    const hook = await create({ name: "Doomed", url: closed.url, events: ["ticket.created"] });
    await t.openTicket({ customer: uniqueCustomer() });
    await drain();
    const [pending] = await h.store.db.select().from(deliveries).where(eq(deliveries.subscriptionId, hook.id));
    expect(pending!.status).toBe("pending");

    const res = await t.send(as.admin, "DELETE", `/webhooks/${hook.id}`);
    expect(res.status, res.text).toBe(204);
    expectProblem(await t.send(as.admin, "GET", `/webhooks/${hook.id}`), 404, "webhook_not_found");
    expectProblem(await t.send(as.admin, "DELETE", `/webhooks/${hook.id}`), 404, "webhook_not_found");
    const [given] = await h.store.db.select().from(deliveries).where(eq(deliveries.id, pending!.id));
    expect(given).toMatchObject({ status: "dead", subscriptionId: null, lastError: "the webhook was deleted" });
  });

  it("refuses bad input with the failing fields, writing nothing", async () => {
    const before = await count();
    const url = "https://example.com/hook";
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: "x", url: "ftp://example.com/hook" }), ["body.url"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: "x", url: "not a url" }), ["body.url"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: "x", url: "https://user:pw@example.com/hook" }), ["body.url"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: "x", url, events: ["ticket.created", "ticket.exploded"] }), ["body.events.1"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: "x", url, format: "xml" }), ["body.format"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { name: " ", url, secret: "has spaces in it, sadly" }), ["body.name", "body.secret"]);
    expectInvalid(await t.send(as.admin, "POST", "/webhooks", { url }), ["body.name"]);
    expect(await count()).toBe(before);

    const hook = await create({ name: "Valid", url });
    expectInvalid(await t.send(as.admin, "PATCH", `/webhooks/${hook.id}`, {}), ["body"]);
    expectInvalid(await t.send(as.admin, "PATCH", `/webhooks/${hook.id}`, { events: ["nope"], name: "Renamed" }), ["body.events.0"]);
    expect((await t.send(as.admin, "GET", `/webhooks/${hook.id}`)).body.name).toBe("Valid");
    expectInvalid(await t.send(as.admin, "GET", "/webhooks/not-a-uuid"), ["params.id"]);
    expectProblem(await t.send(as.admin, "PATCH", "/webhooks/00000000-0000-4000-8000-000000000000", { name: "Ghost" }), 404, "webhook_not_found");
  });

  it("is in the OpenAPI document, the secret only in the create and rotate answers", async () => {
    const { body } = await h.api("GET", "/api/openapi.json");
    const paths = body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    for (const [path, method] of [
      ["/api/v1/webhooks", "post"],
      ["/api/v1/webhooks", "get"],
      ["/api/v1/webhooks/{id}", "patch"],
      ["/api/v1/webhooks/{id}", "delete"],
      ["/api/v1/webhooks/{id}/rotate-secret", "post"],
      ["/api/v1/deliveries", "get"],
      ["/api/v1/deliveries/{id}", "get"],
      ["/api/v1/deliveries/{id}/retry", "post"],
      ["/api/v1/tickets/{id}/deliveries", "get"],
    ] as const) {
      expect(paths[path], `${method} ${path}`).toHaveProperty(method);
    }
    expect(Object.keys(paths["/api/v1/deliveries/{id}/retry"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "403", "404", "409"]));
    expect(body.components.schemas.Webhook.properties).not.toHaveProperty("secret");
    expect(body.components.schemas.WebhookWithSecret.properties).toHaveProperty("secret");
  });

  it("is for admins only", async () => {
    const hook = await create({ name: "Admins only", url: "https://example.com/hook" });
    const customer = await t.signIn(h.org.customers.carol.email);
    for (const who of [as.alice, as.lena, as.mark, customer]) {
      expectProblem(await t.send(who, "POST", "/webhooks", { name: "Mine", url: "https://example.com/x" }), 403, "forbidden");
      expectProblem(await t.send(who, "GET", "/webhooks"), 403, "forbidden");
      expectProblem(await t.send(who, "GET", `/webhooks/${hook.id}`), 403, "forbidden");
      expectProblem(await t.send(who, "PATCH", `/webhooks/${hook.id}`, { active: false }), 403, "forbidden");
      expectProblem(await t.send(who, "POST", `/webhooks/${hook.id}/rotate-secret`, {}), 403, "forbidden");
      expectProblem(await t.send(who, "DELETE", `/webhooks/${hook.id}`), 403, "forbidden");
    }
    expectProblem(await t.send(undefined, "GET", "/webhooks"), 401, "unauthenticated");
    expect((await t.send(as.admin, "GET", `/webhooks/${hook.id}`)).body).toMatchObject({ name: "Admins only", active: true });
  });
});
