import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { chatVerifications, customers, deliveries, outbox } from "../../db/schema.js";
import { queryRows } from "../../db/raw.js";
import { startDispatcher, type DispatcherLog } from "../../outbox/dispatcher.js";
import { createEmailPlanner } from "../email/outbound/plan-email.js";
import { createEmailSender } from "../email/outbound/send-email.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { startSmtpSink } from "../../test-support/smtp-sink.js";
import { openSse, type SseConnection } from "../../test-support/sse-client.js";
import { ticketApi } from "../../test-support/ticket-api.js";
import { VERIFICATION_MAILS_PER_WINDOW, VERIFICATION_TTL_MS, VERIFICATION_WINDOW_MS } from "./verification.js";

const quiet: DispatcherLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const PUBLIC_URL = "http://support.tierline.test";

/** A chat visitor types an address into the widget: who gets the chat, its SLA and its mail until the address is confirmed. */
describe("web chat: a visitor's address is unverified until confirmed by the mailed link", async () => {
  const h = await startHarness({ TIERLINE_CHAT_START_RATE_LIMIT: "1000", TIERLINE_CHAT_MESSAGE_RATE_LIMIT: "1000", TIERLINE_STREAM_HEARTBEAT_SECONDS: "1" });
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
  const t = ticketApi(h);
  const { as } = t;
  const carol = h.org.customers.carol; // VIP
  const vipPolicy = await insertPolicy(h.store, { name: "VIP", position: 10, conditions: { customerTiers: ["vip"] }, targets: { first_response: { normal: "PT1H" } } });
  const standardPolicy = await insertPolicy(h.store, { name: "Standard", position: 100, targets: { first_response: { normal: "PT8H" } } });

  const rule = await t.send(as.admin, "POST", "/escalation-rules", {
    name: "VIPs tagged",
    conditions: [{ field: "customerTier", op: "in", value: ["vip"] }],
    actions: [{ type: "add_tags", tags: ["vip"] }],
  });
  expect(rule.status, rule.text).toBe(201);

  const sink = await startSmtpSink();
  const email = createEmailSender({ smtpUrl: sink.url })!;
  const dispatcher = await startDispatcher({
    store: h.store,
    clock: h.clock,
    log: quiet,
    planners: [createEmailPlanner({ publicUrl: PUBLIC_URL, mailFrom: "Tierline Support <support@tierline.test>", mailDomain: "tierline.test" })],
    senders: { email },
    maxAttempts: 3,
    backoff: { baseMs: 60_000, maxMs: 600_000, jitter: 0 },
    wakeUps: false,
  });
  const streams: SseConnection[] = [];
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await dispatcher.stop();
    email.close();
    await sink.close();
  });

  const startChat = async (body: Record<string, unknown>) => {
    const res = await h.api("POST", "/api/v1/chat/conversations", { body: { name: "Mallory", message: "Please refund my last order.", ...body } });
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const mailTo = (address: string) => sink.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.parsed);
  /** The token of the confirmation link in a mail. */
  const linkToken = (text: string | undefined) => {
    const match = /http:\/\/support\.tierline\.test\/api\/v1\/chat\/verify\?token=([A-Za-z0-9_%-]+)/.exec(text ?? "");
    expect(match, "a confirmation link").not.toBeNull();
    return decodeURIComponent(match![1]!);
  };
  const confirm = (token: string) => h.api("POST", "/api/v1/chat/verify", { body: { token } });
  const clocksOf = async (ticketId: string) => {
    const res = await t.send(as.admin, "GET", `/tickets/${ticketId}/clocks`);
    expect(res.status, res.text).toBe(200);
    return res.body.data;
  };
  const counts = async () =>
    (
      await queryRows<{ customers: number; tickets: number; verified: number; used: number; events: number }>(
        h.store.db,
        sql`select (select count(*) from customers)::int as customers, (select count(*) from tickets)::int as tickets,
                   (select count(*) from customers where not unverified)::int as verified,
                   (select count(*) from chat_verifications where used_at is not null)::int as used, (select count(*) from events)::int as events`,
      )
    )[0]!;

  it("gives a visitor who claims a VIP's address standard treatment, keeps the chat out of the VIP's portal and mails only the link, which moves it to the VIP", async () => {
    const chat = await startChat({ email: "Carol@Customer.TEST" });
    expect(chat.conversation.verified).toBe(false);
    expect(chat.verificationMailSent).toBe(true);
    const ticket = await t.ticket(chat.conversation.ticketId);
    expect(ticket.customerId).not.toBe(carol.id);
    // Rules on the customer's tier do not fire for it, as they do for Carol's own tickets.
    expect(ticket.tags).toEqual([]);
    expect((await t.openTicket({ customerId: carol.id })).tags).toEqual(["vip"]);
    const clocks = await clocksOf(ticket.id);
    expect(clocks.map((c: { metric: string; policyId: string }) => [c.metric, c.policyId])).toEqual([["first_response", standardPolicy]]);

    // Carol does not see it: not in her list, not by id.
    const carolSession = await t.signIn(carol.email);
    const listed = async () => (await t.all(carolSession, "/tickets")).map((x) => x.id);
    expect(await listed()).not.toContain(ticket.id);
    expectProblem(await t.send(carolSession, "GET", `/tickets/${ticket.id}`), 404, "ticket_not_found");
    expectProblem(await t.send(carolSession, "GET", `/tickets/${ticket.id}/events`), 404, "ticket_not_found");

    // The only mail to the address is the confirmation link: not threaded with the ticket, no [#number].
    await dispatcher.drain();
    const mails = mailTo(carol.email).filter((m) => m.headers.get("x-tierline-ticket") === String(ticket.number));
    expect(mails.map((m) => m.subject)).toEqual(["Please confirm your e-mail address for your chat with us"]);
    const [mail] = mails;
    expect(mail!.inReplyTo).toBeUndefined();
    expect(mail!.headers.get("auto-submitted")).toBe("auto-generated");
    const token = linkToken(mail!.text);
    expect(mail!.html).toContain(`token=${encodeURIComponent(token)}`);
    // Only the token's hash is stored, and the outbox row (which webhooks also read) never held it.
    const [verification] = await h.store.db.select().from(chatVerifications).where(eq(chatVerifications.conversationId, chat.conversation.id));
    expect(verification!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const [leak] = await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from outbox where payload::text like ${`%${token}%`}`);
    expect(leak!.n).toBe(0);

    // The link's page checks the token without using it: a mail scanner opening it confirms nothing.
    const page = await h.api("GET", `/api/v1/chat/verify?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post"');
    expect((await t.ticket(ticket.id)).customerId).not.toBe(carol.id);

    // Confirming moves the chat's ticket to Carol, with her SLA, on her list, with the reason on the timeline.
    h.clock.advance(10 * 60_000);
    const res = await confirm(token);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ verified: true, conversationId: chat.conversation.id, email: carol.email, merged: true });
    const moved = await t.ticket(ticket.id);
    expect(moved.customerId).toBe(carol.id);
    const after = await clocksOf(ticket.id);
    expect(after.find((c: { metric: string }) => c.metric === "first_response")).toMatchObject({ policyId: vipPolicy, targetMs: 3_600_000 });
    expect(await listed()).toContain(ticket.id);
    const events = await t.timeline(ticket.id);
    expect(events.find((e) => e.type === "chat.verified")).toMatchObject({ actorType: "customer", actorId: carol.id, data: { email: carol.email, merged: true } });
    const history = await h.api("GET", `/api/v1/chat/conversations/${chat.conversation.id}`, { headers: { "x-tierline-chat-token": chat.token } });
    expect(history.body.conversation).toMatchObject({ verified: true, visitorName: "Carol" });

    // Used once: the link and its page refuse it now.
    const before = await counts();
    expectProblem(await confirm(token), 409, "verification_token_used");
    expectProblem(await h.api("GET", `/api/v1/chat/verify?token=${encodeURIComponent(token)}`), 409, "verification_token_used");
    expect(await counts()).toEqual(before);
  });

  it("refuses a wrong, malformed or expired token with problem+json and writes nothing", async () => {
    const address = `newcomer-${Date.now()}@web.test`;
    await startChat({ email: address });
    await dispatcher.drain();
    const token = linkToken(mailTo(address)[0]?.text);
    const before = await counts();
    expectProblem(await confirm(`${token}x`), 400, "verification_token_invalid");
    expectProblem(await confirm("tl_verify_guessed"), 400, "verification_token_invalid");
    expectProblem(await h.api("GET", "/api/v1/chat/verify?token=nope"), 400, "verification_token_invalid");
    expectInvalid(await h.api("POST", "/api/v1/chat/verify", { body: {} }), ["body.token"]);
    expectInvalid(await h.api("GET", "/api/v1/chat/verify"), ["querystring.token"]);
    h.clock.advance(VERIFICATION_TTL_MS);
    expectProblem(await confirm(token), 410, "verification_token_expired");
    expectProblem(await h.api("GET", `/api/v1/chat/verify?token=${encodeURIComponent(token)}`), 410, "verification_token_expired");
    expect(await counts()).toEqual(before);
  });

  it("makes the visitor's contact the customer when no one has the address yet, from the page's form", async () => {
    const address = `first-time-${Date.now()}@web.test`;
    const chat = await startChat({ email: address, name: "Fiona First" });
    const contactId = (await t.ticket(chat.conversation.ticketId)).customerId;
    await dispatcher.drain();
    const token = linkToken(mailTo(address)[0]?.text);
    const res = await h.app.inject({ method: "POST", url: "/api/v1/chat/verify", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: `token=${encodeURIComponent(token)}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toContain(`Your e-mail address ${address} is confirmed`);
    const [customer] = await h.store.db.select().from(customers).where(eq(customers.id, contactId));
    expect(customer).toMatchObject({ email: address, name: "Fiona First", unverified: false });
    // Now the address is a customer's like any other: staff opening a ticket for it find this customer.
    const later = await t.openTicket({ customer: { email: address, name: "Someone Else" } });
    expect(later.customerId).toBe(contactId);
  });

  it("sends no other mail to an unverified contact, and keeps mail and staff tickets for the address with the real customer", async () => {
    const address = `claimed-${Date.now()}@web.test`;
    const chat = await startChat({ email: address });
    const contactId = (await t.ticket(chat.conversation.ticketId)).customerId;
    // A ticket staff open for the contact itself (by id) mails nothing to the unconfirmed address.
    const forContact = await t.openTicket({ customerId: contactId, channel: "phone" });
    await t.send(as.alice, "POST", `/tickets/${forContact.id}/messages`, { body: "We called you back." });
    // A ticket for the address (as mail would) is the address's own customer's, not the contact's.
    const byAddress = await t.openTicket({ customer: { email: address, name: "Owner" } });
    expect(byAddress.customerId).not.toBe(contactId);
    await dispatcher.drain();
    const topics = (await h.store.db.select().from(deliveries).where(eq(deliveries.destination, address))).map((d) => [d.topic, d.ticketId]);
    expect(topics.sort()).toEqual(
      [
        ["customer.chat_verification", chat.conversation.ticketId],
        ["customer.ticket_received", byAddress.id],
      ].sort(),
    );
    // The contact cannot sign in, and staff see it flagged.
    const listed = await t.send(as.admin, "GET", `/customers?email=${encodeURIComponent(address)}`);
    expect(listed.body.data.map((c: { id: string; unverified: boolean }) => [c.id === contactId, c.unverified]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);
  });

  it(`mails one address at most ${VERIFICATION_MAILS_PER_WINDOW} links an hour, however many chats name it`, async () => {
    const address = `flooded-${Date.now()}@web.test`;
    const sent: boolean[] = [];
    for (let i = 0; i <= VERIFICATION_MAILS_PER_WINDOW; i++) sent.push((await startChat({ email: address })).verificationMailSent);
    expect(sent).toEqual([...Array(VERIFICATION_MAILS_PER_WINDOW).fill(true), false]);
    await dispatcher.drain();
    expect(mailTo(address)).toHaveLength(VERIFICATION_MAILS_PER_WINDOW);
    const rows = await h.store.db.select().from(outbox).where(sql`${outbox.topic} = 'chat.verification_requested' and ${outbox.payload}->>'email' = ${address}`);
    expect(rows).toHaveLength(VERIFICATION_MAILS_PER_WINDOW);
    h.clock.advance(VERIFICATION_WINDOW_MS);
    expect((await startChat({ email: address.toUpperCase() })).verificationMailSent).toBe(true);
  });

  it("ends the visitor's open stream when the chat moves to the confirmed customer, and a reconnect with Last-Event-ID misses nothing", async () => {
    const chat = await startChat({ email: carol.email });
    const url = `${base}/api/v1/chat/conversations/${chat.conversation.id}/stream?token=${encodeURIComponent(chat.token)}`;
    const before = await openSse(url);
    streams.push(before);
    await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "Before you confirmed." });
    const first = await before.waitFor((e) => e.event === "message.public");
    await dispatcher.drain();
    const token = linkToken(mailTo(carol.email).at(-1)?.text);
    expect((await confirm(token)).status).toBe(200);
    await t.send(as.alice, "POST", `/tickets/${chat.conversation.ticketId}/messages`, { body: "After you confirmed." });
    await before.ended; // at its next heartbeat
    const after = await openSse(`${url}&lastEventId=${first.data.id}`);
    streams.push(after);
    const got = await after.waitFor((e) => e.event === "message.public");
    expect(got.data.message.body).toBe("After you confirmed.");
  });
});
