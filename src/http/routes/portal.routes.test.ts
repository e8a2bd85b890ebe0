import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { MAGIC_LINK_MAILS_PER_WINDOW, MAGIC_LINK_TTL_MS } from "../../auth/magic-link.js";
import { createEmailPlanner } from "../../channels/email/outbound/plan-email.js";
import { createEmailSender } from "../../channels/email/outbound/send-email.js";
import { createCustomer } from "../../commands/create-customer.js";
import { queryRows } from "../../db/raw.js";
import { customers, magicLinks } from "../../db/schema.js";
import { startDispatcher, type DispatcherLog } from "../../outbox/dispatcher.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { startSmtpSink } from "../../test-support/smtp-sink.js";
import { ticketApi, uniqueCustomer, type Caller } from "../../test-support/ticket-api.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";

const quiet: DispatcherLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const PUBLIC_URL = "http://support.tierline.test";
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

describe("portal: sign-in by a mailed single-use link", async () => {
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "1000" });
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
  afterAll(async () => {
    await dispatcher.stop();
    email.close();
    await sink.close();
  });

  const ask = (address: string) => h.api("POST", "/api/v1/auth/magic-link", { body: { email: address } });
  const verify = (token: string) => h.api("POST", "/api/v1/auth/magic-link/verify", { body: { token } });
  const mailTo = (address: string) => sink.received.filter((m) => m.envelopeTo.includes(address.toLowerCase())).map((m) => m.parsed);
  const linkToken = (text: string | undefined) => {
    const match = /http:\/\/support\.tierline\.test\/portal\/sign-in\?token=([A-Za-z0-9_%-]+)/.exec(text ?? "");
    expect(match, "a sign-in link").not.toBeNull();
    return decodeURIComponent(match![1]!);
  };
  const linksOf = async (customerId: string) => h.store.db.select().from(magicLinks).where(eq(magicLinks.customerId, customerId));
  const sessionCount = async () => (await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from sessions`))[0]!.n;
  const newCustomer = async () => {
    const c = uniqueCustomer();
    return createCustomer(h.org.sys, { ...c, tier: "standard", password: TEST_PASSWORD });
  };

  it("mails a known customer a link that signs them in once, keeping only the token's hash", async () => {
    const customer = await newCustomer();
    const res = await ask(customer.email.toUpperCase());
    expect(res.status, res.text).toBe(202);
    expect(res.body).toEqual({ accepted: true, detail: expect.stringContaining("If this address belongs to a customer account") });
    await dispatcher.drain();
    const mails = mailTo(customer.email);
    expect(mails.map((m) => m.subject)).toEqual(["Your sign-in link"]);
    const token = linkToken(mails[0]!.text);
    expect(mails[0]!.html).toContain(`token=${encodeURIComponent(token)}`);
    expect(mails[0]!.headers.get("auto-submitted")).toBe("auto-generated");
    const [link] = await linksOf(customer.id);
    expect(link!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(link!.expiresAt.getTime() - link!.createdAt.getTime()).toBe(MAGIC_LINK_TTL_MS);
    const [leak] = await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from outbox where payload::text like ${`%${token}%`}`);
    expect(leak!.n).toBe(0);

    h.clock.advance(5 * 60_000);
    const signedIn = await verify(token);
    expect(signedIn.status, signedIn.text).toBe(200);
    expect(signedIn.body.user).toEqual({ kind: "customer", id: customer.id, email: customer.email, name: customer.name, role: null });
    const cookie = String([signedIn.headers["set-cookie"]].flat().find((c) => String(c).startsWith("tierline_session="))).split(";")[0]!;
    const me = await h.api("GET", "/api/v1/auth/me", { cookie });
    expect(me.status, me.text).toBe(200);
    expect(me.body.user.id).toBe(customer.id);

    // Single use: the second try opens no session.
    const before = await sessionCount();
    expectProblem(await verify(token), 401, "sign_in_link_used");
    expect(await sessionCount()).toBe(before);
  });

  it("answers an unknown address, a staff address and an unconfirmed chat contact exactly as a customer, and mails none of them", async () => {
    const customer = await newCustomer();
    const known = await ask(customer.email);
    const [contact] = await h.store.db
      .insert(customers)
      .values({ email: "visitor@chat.test", name: "Visitor", unverified: true, createdAt: h.clock.now() })
      .returning();
    for (const address of ["nobody@nowhere.test", h.org.agents.alice.email, contact!.email]) {
      const res = await ask(address);
      expect(res.status).toBe(202);
      expect(res.body).toEqual(known.body);
      expect(res.headers["content-type"]).toEqual(known.headers["content-type"]);
    }
    expect(await linksOf(contact!.id)).toEqual([]);
    await dispatcher.drain();
    for (const address of ["nobody@nowhere.test", h.org.agents.alice.email, contact!.email]) expect(mailTo(address)).toEqual([]);
  });

  it("refuses an expired link (401) and a forged one (400) without opening a session", async () => {
    const customer = await newCustomer();
    await ask(customer.email);
    await dispatcher.drain();
    const token = linkToken(mailTo(customer.email)[0]!.text);
    const before = await sessionCount();
    h.clock.advance(MAGIC_LINK_TTL_MS + 1000);
    expectProblem(await verify(token), 401, "sign_in_link_expired");
    expectProblem(await verify(`${token}x`), 400, "sign_in_link_invalid");
    expectProblem(await verify("tl_signin_forged"), 400, "sign_in_link_invalid");
    expect(await sessionCount()).toBe(before);
    expect((await linksOf(customer.id))[0]!.usedAt).toBeNull();
    expectInvalid(await h.api("POST", "/api/v1/auth/magic-link/verify", { body: {} }), ["body.token"]);
    expectInvalid(await ask("not an address"), ["body.email"]);
  });

  it(`mails one customer at most ${MAGIC_LINK_MAILS_PER_WINDOW} links in 15 minutes, answering the same meanwhile`, async () => {
    const customer = await newCustomer();
    for (let i = 0; i < MAGIC_LINK_MAILS_PER_WINDOW + 2; i += 1) expect((await ask(customer.email)).status).toBe(202);
    expect(await linksOf(customer.id)).toHaveLength(MAGIC_LINK_MAILS_PER_WINDOW);
    await dispatcher.drain();
    expect(mailTo(customer.email)).toHaveLength(MAGIC_LINK_MAILS_PER_WINDOW);
    h.clock.advance(15 * 60_000 + 1000);
    expect((await ask(customer.email)).status).toBe(202);
    expect(await linksOf(customer.id)).toHaveLength(MAGIC_LINK_MAILS_PER_WINDOW + 1);
  });
});

describe("portal: sign-in link requests are rate-limited per client", async () => {
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "2" });
  it("answers 429 rate_limited past the limit", async () => {
    const ask = () => h.api("POST", "/api/v1/auth/magic-link", { body: { email: "someone@customer.test" } });
    expect((await ask()).status).toBe(202);
    expect((await ask()).status).toBe(202);
    expectProblem(await ask(), 429, "rate_limited");
  });
});

describe("portal: what the forms need, the next update, replies with files", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const carol = h.org.customers.carol;
  await insertPolicy(h.store, { name: "Everyone", position: 100, targets: { first_response: { normal: "PT2H" } } });
  const carolSession: Caller = await t.signIn(carol.email);
  const other = await createCustomer(h.org.sys, { ...uniqueCustomer(), tier: "standard", password: TEST_PASSWORD });
  const otherSession: Caller = await t.signIn(other.email);
  const files = (list: { filename: string; contentType: string; content: Buffer | string }[]) =>
    list.map((f) => ({ ...f, content: Buffer.isBuffer(f.content) ? f.content.toString("base64") : f.content }));
  const counts = async () =>
    (
      await queryRows<{ messages: number; attachments: number }>(
        h.store.db,
        sql`select (select count(*) from messages)::int as messages, (select count(*) from attachments)::int as attachments`,
      )
    )[0]!;

  it("tells customers whether they may choose a priority (never urgent) and which categories the rules know", async () => {
    const read = await t.send(carolSession, "GET", "/portal/settings");
    expect(read.status, read.text).toBe(200);
    expect(read.body).toEqual({ customerMayChoosePriority: false, priorities: [], categories: [] });
    expect((await t.send(t.as.admin, "PUT", "/settings", { customerMayChoosePriority: true })).status).toBe(200);
    const rule = await t.send(t.as.admin, "POST", "/escalation-rules", {
      name: "Billing to billing",
      conditions: [{ field: "category", op: "in", value: ["billing", "invoices"] }],
      actions: [{ type: "add_tags", tags: ["money"] }],
    });
    expect(rule.status, rule.text).toBe(201);
    const after = await t.send(carolSession, "GET", "/portal/settings");
    expect(after.body).toEqual({ customerMayChoosePriority: true, priorities: ["low", "normal", "high"], categories: ["billing", "invoices"] });
    expectProblem(await h.api("GET", "/api/v1/portal/settings"), 401, "unauthenticated");
    expect((await t.send(t.as.admin, "PUT", "/settings", { customerMayChoosePriority: false })).status).toBe(200);
  });

  it("tells the ticket's customer when the next update is due, and no one else's", async () => {
    const ticket = await t.openTicket({ customerId: carol.id });
    const next = await t.send(carolSession, "GET", `/tickets/${ticket.id}/next-update`);
    expect(next.status, next.text).toBe(200);
    expect(next.body).toEqual({ dueAt: "2026-03-02T11:00:00.000Z", metric: "first_response", overdue: false });
    h.clock.advance(3 * 3_600_000);
    expect((await t.send(carolSession, "GET", `/tickets/${ticket.id}/next-update`)).body.overdue).toBe(true);
    // Once we answered, no first response is owed.
    expect((await t.send(t.as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "We are on it." })).status).toBe(201);
    expect((await t.send(carolSession, "GET", `/tickets/${ticket.id}/next-update`)).body).toEqual({ dueAt: null, metric: null, overdue: false });
    expectProblem(await t.send(otherSession, "GET", `/tickets/${ticket.id}/next-update`), 404, "ticket_not_found");
  });

  it("takes a customer's reply with files, which they and staff can download, and keeps a note's files from the customer", async () => {
    const ticket = await t.openTicket({ customerId: carol.id });
    const res = await t.send(carolSession, "POST", `/tickets/${ticket.id}/messages/with-files`, {
      body: "Here is the screenshot and the invoice.",
      attachments: files([
        { filename: "screen.png", contentType: "image/png", content: PNG },
        { filename: "invoice.txt", contentType: "text/plain", content: Buffer.from("Invoice 42: 49.90 EUR") },
      ]),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.message).toMatchObject({ kind: "customer", body: "Here is the screenshot and the invoice.", authorCustomerId: carol.id });
    expect(res.body.attachments.map((a: { filename: string; size: number }) => [a.filename, a.size])).toEqual([
      ["screen.png", PNG.length],
      ["invoice.txt", 21],
    ]);
    const listed = await t.all(carolSession, `/tickets/${ticket.id}/attachments`);
    expect(listed.map((a) => [a.filename, a.messageId])).toEqual([
      ["screen.png", res.body.message.id],
      ["invoice.txt", res.body.message.id],
    ]);
    const download = await t.send(t.as.alice, "GET", `/attachments/${res.body.attachments[1].id}`);
    expect(download.status).toBe(200);
    expect(download.text).toBe("Invoice 42: 49.90 EUR");

    const note = await t.send(t.as.alice, "POST", `/tickets/${ticket.id}/messages/with-files`, {
      body: "Internal: fraud check result attached.",
      kind: "internal",
      attachments: files([{ filename: "fraud.txt", contentType: "text/plain", content: Buffer.from("internal only") }]),
    });
    expect(note.status, note.text).toBe(201);
    expect((await t.all(carolSession, `/tickets/${ticket.id}/attachments`)).map((a) => a.filename)).toEqual(["screen.png", "invoice.txt"]);
    expectProblem(await t.send(carolSession, "GET", `/attachments/${note.body.attachments[0].id}`), 404, "attachment_not_found");
    expect((await t.all(t.as.alice, `/tickets/${ticket.id}/attachments`)).map((a) => a.filename)).toEqual(["screen.png", "invoice.txt", "fraud.txt"]);
  });

  it("refuses a wrong type, a file too large, bad base64 and another customer's ticket, writing nothing", async () => {
    const ticket = await t.openTicket({ customerId: carol.id });
    const before = await counts();
    const send = (who: Caller, attachments: unknown) =>
      t.send(who, "POST", `/tickets/${ticket.id}/messages/with-files`, { body: "See attached.", attachments });
    expectInvalid(await send(carolSession, files([{ filename: "page.html", contentType: "text/html", content: Buffer.from("<script>") }])), ["body.attachments.0.contentType"]);
    expectInvalid(await send(carolSession, [{ filename: "a.txt", contentType: "text/plain", content: "not base64!" }]), ["body.attachments.0.content"]);
    expectInvalid(await send(carolSession, files([{ filename: "../etc/passwd", contentType: "text/plain", content: Buffer.from("x") }])), ["body.attachments.0.filename"]);
    expectInvalid(await send(carolSession, []), ["body.attachments"]);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const tooMuch = await send(carolSession, files([1, 2, 3].map((i) => ({ filename: `part${i}.pdf`, contentType: "application/pdf", content: big }))));
    expectProblem(tooMuch, 413, "payload_too_large");
    expectProblem(await send(otherSession, files([{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("x") }])), 404, "ticket_not_found");
    expect(await counts()).toEqual(before);
  });
});
