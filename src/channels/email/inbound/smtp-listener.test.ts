import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../config.js";
import { queryRows } from "../../../db/raw.js";
import { startHarness } from "../../../test-support/harness.js";
import { sendSmtp, smtpDialogue } from "../../../test-support/inbound-mail.js";
import { ticketApi } from "../../../test-support/ticket-api.js";
import { startSmtpListener } from "./smtp-listener.js";

const SUPPORT = "support@tierline.test";
const BILLING = "billing@tierline.test";

describe("inbound mail over SMTP", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const logged: { obj: object; msg: string }[] = [];
  const listener = await startSmtpListener({
    db: h.store.db,
    clock: h.clock,
    host: "127.0.0.1",
    port: 0,
    maxBytes: 300_000,
    maxAttachmentBytes: 60_000,
    log: { error: (obj, msg) => logged.push({ obj, msg }) },
  });
  afterAll(() => listener.close());

  let n = 0;
  /** A sender address (and Message-ID) no other test uses. */
  const fresh = (name = "sender") => {
    n += 1;
    return { address: `${name}-${n}@example.test`, messageId: `<mail-${n}-${Date.now()}@example.test>` };
  };
  const send = (options: Parameters<typeof sendSmtp>[1]) => sendSmtp(listener.port, { to: SUPPORT, ...options });
  /** The inbound-mail id and status from the listener's 250 answer. */
  const accepted = (response: string) => {
    const m = /^250 2\.0\.0 Accepted as ([0-9a-f-]{36}) \((\w+)\)/.exec(response);
    expect(m, response).not.toBeNull();
    return { id: m![1]!, status: m![2]! };
  };
  const inbound = async (id: string) => {
    const res = await t.send(t.as.admin, "GET", `/inbound-mail/${id}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  };
  const count = async (table: "tickets" | "outbox" | "inbound_mail" | "messages" | "customers") =>
    (await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
  const customerByEmail = (email: string) => h.store.db.query.customers.findFirst({ where: (c, { eq }) => eq(c.email, email) });
  const messagesOf = (ticketId: string) => h.store.db.query.messages.findMany({ where: (m, { eq }) => eq(m.ticketId, ticketId) });

  beforeAll(async () => {
    for (const [name, address, teamId] of [
      ["Support", SUPPORT, null],
      ["Billing", BILLING, h.org.teams.billing.id],
    ] as const) {
      const res = await t.send(t.as.admin, "POST", "/mailboxes", { name, address, teamId });
      expect(res.status, res.text).toBe(201);
    }
    const off = await t.send(t.as.admin, "POST", "/mailboxes", { name: "Old", address: "old@tierline.test", active: false });
    expect(off.status, off.text).toBe(201);
  });

  /** Opens a ticket by mail from a new customer; returns the ticket, the sender and the mail's Message-ID. */
  async function ticketByMail(subject = "Printer jammed") {
    const sender = fresh("customer");
    const res = await send({ from: `Pat Customer <${sender.address}>`, subject, text: "The printer is jammed again.", messageId: sender.messageId });
    const { id, status } = accepted(res.response);
    expect(status).toBe("ticket");
    const record = await inbound(id);
    return { ticket: await t.ticket(record.ticketId), sender, record };
  }

  it("opens an email ticket for a new customer, named from the From header, with emoji intact", async () => {
    const sender = fresh("zoe");
    const before = await count("tickets");
    const res = await send({
      from: `"Zoë Ünicode 😀" <${sender.address}>`,
      subject: "Printer on fire 🔥 — help",
      text: "It is really on fire 😱🧯\nPlease call.",
      messageId: sender.messageId,
    });
    const { id, status } = accepted(res.response);
    expect(status).toBe("ticket");
    expect(await count("tickets")).toBe(before + 1);
    const record = await inbound(id);
    expect(record).toMatchObject({ status: "ticket", source: "smtp", fromAddress: sender.address, messageId: sender.messageId, subject: "Printer on fire 🔥 — help" });
    const ticket = await t.ticket(record.ticketId);
    expect(ticket).toMatchObject({ channel: "email", subject: "Printer on fire 🔥 — help", teamId: h.org.teams.frontline.id, status: "new" });
    expect(ticket.description).toBe("It is really on fire 😱🧯\nPlease call.");
    const customer = await customerByEmail(sender.address);
    expect(customer).toMatchObject({ id: ticket.customerId, name: "Zoë Ünicode 😀" });
    // The customer opened it (the timeline says so), and the mail's Message-ID now threads to the ticket.
    const [created] = await t.timeline(ticket.id);
    expect(created).toMatchObject({ type: "ticket.created", actorType: "customer", actorId: customer!.id });
    const thread = await h.store.db.query.emailThreads.findFirst({ where: (e, { eq }) => eq(e.messageId, sender.messageId) });
    expect(thread?.ticketId).toBe(ticket.id);
  });

  it("files a mail to a mailbox with a team on that team", async () => {
    const sender = fresh();
    const res = await sendSmtp(listener.port, { from: sender.address, to: BILLING, subject: "Invoice question", text: "Why two invoices?" });
    const record = await inbound(accepted(res.response).id);
    const ticket = await t.ticket(record.ticketId);
    expect(ticket).toMatchObject({ teamId: h.org.teams.billing.id, levelId: h.org.levels.l2.id });
  });

  it("threads a reply by In-Reply-To, by References and by the [#number] subject token", async () => {
    const { ticket, sender } = await ticketByMail();
    // What the outgoing-mail side records for a reply it sent on this ticket.
    const outgoing = `<t${ticket.number}.k3j4h5@tierline.test>`;
    await h.store.db.insert((await import("../../../db/schema.js")).emailThreads).values({ messageId: outgoing, ticketId: ticket.id });

    const byInReplyTo = await send({ from: sender.address, subject: "Re: Printer jammed", text: "Still jammed 😤", inReplyTo: outgoing, references: [sender.messageId, outgoing] });
    const byReferences = await send({ from: sender.address, subject: "Printer jammed", text: "Any news?", references: ["<unknown@elsewhere.test>", outgoing] });
    const byToken = await send({ from: sender.address.toUpperCase(), subject: `Re: [#${ticket.number}] Printer jammed`, text: "Hello?" });
    const records = await Promise.all([byInReplyTo, byReferences, byToken].map((r) => inbound(accepted(r.response).id)));
    expect(records.map((r) => [r.status, r.ticketId, r.reason])).toEqual([
      ["reply", ticket.id, `reply to #${ticket.number} (In-Reply-To)`],
      ["reply", ticket.id, `reply to #${ticket.number} (References)`],
      ["reply", ticket.id, `reply to #${ticket.number} (subject token)`],
    ]);
    const messages = await messagesOf(ticket.id);
    expect(messages.map((m) => [m.kind, m.body, m.authorCustomerId])).toEqual([
      ["customer", "Still jammed 😤", ticket.customerId],
      ["customer", "Any news?", ticket.customerId],
      ["customer", "Hello?", ticket.customerId],
    ]);
    expect(records.map((r) => r.messageRowId)).toEqual(messages.map((m) => m.id));
  });

  it("never puts a stranger's mail on someone else's ticket: it opens the stranger's own", async () => {
    const { ticket, sender } = await ticketByMail();
    const stranger = fresh("stranger");
    const res = await send({ from: stranger.address, subject: `Re: [#${ticket.number}] Printer jammed`, text: "Let me in", inReplyTo: sender.messageId });
    const record = await inbound(accepted(res.response).id);
    expect(record.status).toBe("ticket");
    expect(record.ticketId).not.toBe(ticket.id);
    expect(record.reason).toBe(`refers to ticket #${ticket.number} (In-Reply-To), but the sender is not its customer: opened a new ticket`);
    expect(await messagesOf(ticket.id)).toEqual([]);
    const own = await t.ticket(record.ticketId);
    expect(own.customerId).toBe((await customerByEmail(stranger.address))!.id);
  });

  it("opens a follow-up ticket for a reply to a closed ticket", async () => {
    const { ticket, sender } = await ticketByMail();
    await t.patch(ticket.id, { status: "closed" });
    const res = await send({ from: sender.address, subject: `Re: [#${ticket.number}] Printer jammed`, text: "It is back." });
    const record = await inbound(accepted(res.response).id);
    expect(record).toMatchObject({ status: "ticket", reason: `follow-up to closed ticket #${ticket.number} (subject token)` });
    expect(record.ticketId).not.toBe(ticket.id);
  });

  it.each([
    ["Auto-Submitted: auto-replied", { "Auto-Submitted": "auto-replied" }, "auto-reply (Auto-Submitted: auto-replied)"],
    ["Precedence: bulk", { Precedence: "bulk" }, "bulk mail (Precedence: bulk)"],
    ["Precedence: junk", { Precedence: "junk" }, "bulk mail (Precedence: junk)"],
    ["X-Autoreply", { "X-Autoreply": "yes" }, "auto-reply (X-Autoreply)"],
    ["X-Autorespond", { "X-Autorespond": "Out of office" }, "auto-reply (X-Autorespond)"],
  ])("ignores an auto-reply (%s): no ticket, no mail back", async (_name, headers, reason) => {
    const { ticket, sender } = await ticketByMail();
    const [tickets, outbox, messages] = [await count("tickets"), await count("outbox"), await count("messages")];
    const res = await send({ from: sender.address, subject: `Out of office: [#${ticket.number}]`, text: "I am away.", headers, inReplyTo: sender.messageId });
    const record = await inbound(accepted(res.response).id);
    expect(record).toMatchObject({ status: "ignored", reason, ticketId: null });
    expect([await count("tickets"), await count("outbox"), await count("messages")]).toEqual([tickets, outbox, messages]);
  });

  it("takes Auto-Submitted: no as an ordinary mail", async () => {
    const res = await send({ from: fresh().address, subject: "Hello", text: "Typed by a person.", headers: { "Auto-Submitted": "no" } });
    expect(accepted(res.response).status).toBe("ticket");
  });

  it("ignores bounces: a delivery report, a MAILER-DAEMON sender, the null envelope sender", async () => {
    const tickets = await count("tickets");
    const outbox = await count("outbox");
    const report = [
      "From: Mail Delivery System <postmaster@example.test>",
      `To: ${SUPPORT}`,
      "Subject: Undelivered Mail Returned to Sender",
      `Message-ID: ${fresh().messageId}`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--b1",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.test",
      "",
      "Final-Recipient: rfc822; nobody@example.test",
      "Action: failed",
      "Status: 5.1.1",
      "--b1--",
      "",
    ].join("\r\n");
    const dsn = await send({ envelope: { from: "bounces@example.test", to: [SUPPORT] }, raw: report });
    const daemon = await send({ from: "MAILER-DAEMON@example.test", subject: "failure notice", text: "Sorry." });
    const nullSender = await send({ envelope: { from: "", to: [SUPPORT] }, from: "someone@example.test", subject: "Delivery failed", text: "Bounced." });
    const records = await Promise.all([dsn, daemon, nullSender].map((r) => inbound(accepted(r.response).id)));
    expect(records.map((r) => [r.status, r.reason])).toEqual([
      ["ignored", "delivery report (multipart/report; report-type=delivery-status)"],
      ["ignored", "bounce (from MAILER-DAEMON)"],
      ["ignored", "bounce (empty return path)"],
    ]);
    expect([await count("tickets"), await count("outbox")]).toEqual([tickets, outbox]);
  });

  it("ignores a bounce that carries a null Return-Path under the one the listener adds (two Return-Path headers)", async () => {
    const tickets = await count("tickets");
    const raw = ["Return-Path: <>", "From: postmaster@example.test", `To: ${SUPPORT}`, "Subject: Undeliverable: your mail", `Message-ID: ${fresh().messageId}`, "", "Delivery failed.", ""].join("\r\n");
    const res = await send({ envelope: { from: "relay@example.test", to: [SUPPORT] }, raw });
    const record = await inbound(accepted(res.response).id);
    expect([record.status, record.reason]).toEqual(["ignored", "bounce (empty return path)"]);
    const stored = (await t.send(t.as.admin, "GET", `/inbound-mail/${record.id}/raw`)).text;
    expect(stored.match(/^Return-Path: [^\r\n]*/gm)).toEqual(["Return-Path: <relay@example.test>", "Return-Path: <>"]);
    expect(await count("tickets")).toBe(tickets);
  });

  it("quarantines mail without a usable sender, keeping the raw message", async () => {
    const tickets = await count("tickets");
    const body = `Subject: Nobody sent this\r\nMessage-ID: ${fresh().messageId}\r\n\r\nNo From header at all.\r\n`;
    const replies = await smtpDialogue(listener.port, ["EHLO test.example\r\n", "MAIL FROM:<robot@example.test>\r\n", `RCPT TO:<${SUPPORT}>\r\n`, "DATA\r\n", `${body}.\r\n`, "QUIT\r\n"]);
    const { id, status } = accepted(replies[4]!);
    expect(status).toBe("quarantined");
    const record = await inbound(id);
    expect(record).toMatchObject({ status: "quarantined", reason: "no usable From address", ticketId: null, fromAddress: null });
    const quarantine = await t.all(t.as.admin, "/inbound-mail?status=quarantined");
    expect(quarantine.map((m) => m.id)).toContain(id);
    const raw = await t.send(t.as.admin, "GET", `/inbound-mail/${id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers["content-type"]).toBe("message/rfc822");
    expect(raw.text).toBe(`Return-Path: <robot@example.test>\r\n${body}`);
    expect(await count("tickets")).toBe(tickets);
  });

  it("quarantines mail from a staff address instead of making the agent a customer", async () => {
    const res = await send({ from: `Alice <${h.org.agents.alice.email}>`, subject: "Fwd: customer call", text: "FYI" });
    const record = await inbound(accepted(res.response).id);
    expect(record).toMatchObject({ status: "quarantined", reason: `sent by a staff member (${h.org.agents.alice.email}); staff reply in Tierline, not by mail`, ticketId: null });
    expect(await customerByEmail(h.org.agents.alice.email)).toBeUndefined();
  });

  it("quarantines bytes that are no mail at all, and a mail whose attachments are over the limit", async () => {
    const garbage = await smtpDialogue(listener.port, ["HELO x\r\n", "MAIL FROM:<x@example.test>\r\n", `RCPT TO:<${SUPPORT}>\r\n`, "DATA\r\n", "\u0001\u0002\u00ff\u00fe garbage\r\n.\r\n", "QUIT\r\n"]);
    expect(accepted(garbage[4]!).status).toBe("quarantined");
    const big = await send({ from: fresh().address, subject: "Photos", text: "See attached.", attachments: [{ filename: "photo.jpg", content: Buffer.alloc(70_000, 7), contentType: "image/jpeg" }] });
    const record = await inbound(accepted(big.response).id);
    expect(record).toMatchObject({ status: "quarantined", reason: "attachments of 70000 bytes exceed the limit of 60000 bytes per mail" });
  });

  it("keeps a sanitised copy of HTML mail: no scripts, handlers, javascript: links, frames, forms or styles", async () => {
    const { ticket, sender } = await ticketByMail();
    const html = [
      "<html><head><style>body{display:none}</style><script>alert('head')</script></head><body>",
      "<p style=\"color:red\" onclick=\"steal()\">Hello <b>agent</b> 👋</p>",
      "<img src=\"x\" onerror=\"alert(1)\"><img src=\"https://cdn.example.test/logo.png\" alt=\"logo\"><img src=\"http://insecure.example.test/t.gif\">",
      "<img src=\"cid:chart@example.test\" alt=\"chart\">",
      "<a href=\"javascript:alert(2)\">click</a> <a href=\"https://example.test/help\">help</a>",
      "<iframe src=\"https://evil.example.test\"></iframe><form action=\"https://evil.example.test\"><input name=\"pw\"></form>",
      "<svg><script>alert(3)</script></svg><object data=\"x.swf\"></object>",
      "</body></html>",
    ].join("");
    const res = await send({
      from: sender.address,
      subject: `Re: [#${ticket.number}] Printer jammed`,
      html,
      attachments: [{ filename: "chart.png", content: Buffer.from("89504e470d0a1a0a", "hex"), contentType: "image/png", cid: "chart@example.test" }],
    });
    const record = await inbound(accepted(res.response).id);
    expect(record.status).toBe("reply");
    const [message] = await messagesOf(ticket.id);
    const stored = message!.bodyHtml!;
    for (const bad of ["<script", "alert", "onerror", "onclick", "javascript:", "<iframe", "<form", "<input", "<style", "style=", "<svg", "<object", "http://insecure"]) {
      expect(stored, bad).not.toContain(bad);
    }
    expect(stored).toContain("<b>agent</b> 👋");
    expect(stored).toContain('<img src="https://cdn.example.test/logo.png" alt="logo" />');
    expect(stored).toContain("<img />"); // what is left of <img src="x" onerror=…>
    expect(stored).toContain('<a href="https://example.test/help" rel="noopener noreferrer nofollow" target="_blank">help</a>');
    // The inline image points at its stored attachment.
    const [chart] = await h.store.db.query.attachments.findMany({ where: (a, { eq }) => eq(a.messageId, message!.id) });
    expect(stored).toContain(`<img src="/api/v1/attachments/${chart!.id}" alt="chart" />`);
    // The text body is the text converted from the HTML.
    expect(message!.body).toContain("Hello agent 👋");
  });

  it("stores attachments with the ticket, downloadable with the stored type (active types as octet-stream)", async () => {
    const sender = fresh();
    const pdf = Buffer.from("%PDF-1.4\n% a tiny pdf\n");
    const page = Buffer.from("<html><script>alert(document.cookie)</script></html>");
    const res = await send({
      from: sender.address,
      subject: "Contract",
      text: "Attached.",
      attachments: [
        { filename: "Vertrag für Zoë.pdf", content: pdf, contentType: "application/pdf" },
        { filename: "page.html", content: page, contentType: "text/html" },
      ],
    });
    const record = await inbound(accepted(res.response).id);
    const list = await t.all(t.as.admin, `/tickets/${record.ticketId}/attachments`);
    list.sort((a, b) => (a.filename < b.filename ? -1 : 1));
    expect(list.map((a) => [a.filename, a.contentType, a.size, a.messageId])).toEqual([
      ["Vertrag für Zoë.pdf", "application/pdf", pdf.length, null],
      ["page.html", "text/html", page.length, null],
    ]);
    expect(list[0].sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    const download = await h.api("GET", list[0].url, { token: h.org.agents.admin.token });
    expect(download.status).toBe(200);
    expect(download.headers["content-type"]).toBe("application/pdf");
    expect(download.headers["content-disposition"]).toBe(`attachment; filename="Vertrag f_r Zo_.pdf"; filename*=UTF-8''${encodeURIComponent("Vertrag für Zoë.pdf")}`);
    expect(download.text).toBe(pdf.toString());
    const html = await h.api("GET", list[1].url, { token: h.org.agents.admin.token });
    expect(html.headers["content-type"]).toBe("application/octet-stream");
    expect(html.headers["x-content-type-options"]).toBe("nosniff");
    expect(html.text).toBe(page.toString());
  });

  it("takes the same Message-ID only once", async () => {
    const sender = fresh();
    const mail = { from: sender.address, subject: "Twice", text: "Delivered twice by a retrying MTA.", messageId: sender.messageId };
    const first = accepted((await send(mail)).response);
    const [tickets, records] = [await count("tickets"), await count("inbound_mail")];
    const second = accepted((await send(mail)).response);
    expect(first.status).toBe("ticket");
    expect(second).toEqual({ id: first.id, status: "duplicate" });
    expect([await count("tickets"), await count("inbound_mail")]).toEqual([tickets, records]);
  });

  it("removes NUL characters, which PostgreSQL text cannot hold", async () => {
    const res = await send({ from: fresh().address, subject: "Nul\u0000 here", text: "before\u0000after 🎉" });
    const record = await inbound(accepted(res.response).id);
    const ticket = await t.ticket(record.ticketId);
    expect([ticket.subject, ticket.description]).toEqual(["Nul here", "beforeafter 🎉"]);
  });

  it("answers 550 for recipients that are no active mailbox, and takes the rest", async () => {
    await expect(send({ to: "nobody@tierline.test", from: fresh().address, subject: "x", text: "x" })).rejects.toMatchObject({ responseCode: 550 });
    await expect(send({ to: "old@tierline.test", from: fresh().address, subject: "x", text: "x" })).rejects.toMatchObject({ responseCode: 550 });
    const mixed = await send({ to: ["nobody@tierline.test", SUPPORT], from: fresh().address, subject: "Mixed", text: "x" });
    expect(mixed.accepted).toEqual([SUPPORT]);
  });

  it("refuses mail over the size limit with 552 and records nothing", async () => {
    const records = await count("inbound_mail");
    const replies = await smtpDialogue(listener.port, [
      "EHLO test.example\r\n",
      "MAIL FROM:<big@example.test>\r\n",
      `RCPT TO:<${SUPPORT}>\r\n`,
      "DATA\r\n",
      `From: big@example.test\r\nSubject: big\r\n\r\n${"x".repeat(998)}\r\n`.repeat(400) + ".\r\n",
      "QUIT\r\n",
    ]);
    expect(replies[0]).toContain("SIZE 300000");
    // No TLS key and certificate given: no STARTTLS; and no AUTH at all.
    expect(replies[0]).not.toMatch(/STARTTLS|AUTH/);
    expect(replies[4]).toMatch(/^552 /);
    expect(await count("inbound_mail")).toBe(records);
  });

  it("answers 451 when the ingest fails, writes nothing, and takes the retry", async () => {
    // A database failure in the middle of filing (after the mail was recorded and the customer made).
    await h.store.db.execute(sql`create function test_refuse_ticket() returns trigger language plpgsql as $$
      begin if new.subject = 'Explode' then raise exception 'disk full (test)'; end if; return new; end $$`);
    await h.store.db.execute(sql`create trigger test_refuse_ticket before insert on tickets for each row execute function test_refuse_ticket()`);
    const sender = fresh();
    const mail = { from: sender.address, subject: "Explode", text: "x", messageId: sender.messageId };
    const records = await count("inbound_mail");
    await expect(send(mail)).rejects.toMatchObject({ responseCode: 451 });
    expect(await count("inbound_mail")).toBe(records);
    expect(await customerByEmail(sender.address)).toBeUndefined();
    expect(logged.at(-1)).toEqual({ obj: { error: expect.stringContaining("disk full (test)") }, msg: "SMTP listener: taking in a mail failed; the sender was told to retry" });

    await h.store.db.execute(sql`drop trigger test_refuse_ticket on tickets`);
    expect(accepted((await send(mail)).response).status).toBe("ticket");
  });

  it("is configured by TIERLINE_SMTP_LISTEN, and refuses a half TLS configuration", () => {
    expect(loadConfig({}).smtpListen).toBeUndefined();
    expect(loadConfig({ TIERLINE_SMTP_LISTEN: "0.0.0.0:2525" }).smtpListen).toEqual({ host: "0.0.0.0", port: 2525 });
    expect(loadConfig({ TIERLINE_SMTP_LISTEN: "[::1]:25" }).smtpListen).toEqual({ host: "::1", port: 25 });
    expect(() => loadConfig({ TIERLINE_SMTP_LISTEN: "2525" })).toThrow(/TIERLINE_SMTP_LISTEN: must be host:port/);
    expect(() => loadConfig({ TIERLINE_SMTP_LISTEN: "localhost:70000" })).toThrow(/TIERLINE_SMTP_LISTEN: the port must be at most 65535/);
    expect(() => loadConfig({ TIERLINE_SMTP_TLS_KEY: "/etc/key.pem" })).toThrow(ConfigError);
    expect(loadConfig({}).mailMaxAttachmentBytes).toBe(25 * 1024 * 1024);
  });

  it("keeps the mail byte for byte whether its SIZE is declared right, declared too small or not declared", async () => {
    const body = (tag: string) =>
      `From: Sizer <sizer-${tag}@example.test>\r\nTo: ${SUPPORT}\r\nSubject: Size ${tag}\r\nMessage-ID: <size-${tag}-${Date.now()}@example.test>\r\n\r\n${"Zeile mit Umlauten äöü\r\n".repeat(2000)}`;
    for (const [tag, size] of [
      ["right", (b: string) => ` SIZE=${Buffer.byteLength(b)}`],
      ["small", () => " SIZE=100"],
      ["none", () => ""],
    ] as const) {
      const data = body(tag);
      const replies = await smtpDialogue(listener.port, [
        "EHLO test.example\r\n",
        `MAIL FROM:<sizer-${tag}@example.test>${size(data)}\r\n`,
        `RCPT TO:<${SUPPORT}>\r\n`,
        "DATA\r\n",
        `${data}.\r\n`,
        "QUIT\r\n",
      ]);
      const { id, status } = accepted(replies[4]!);
      expect(status).toBe("ticket");
      const raw = await h.app.inject({ method: "GET", url: `/api/v1/inbound-mail/${id}/raw`, headers: { authorization: `Bearer ${h.org.agents.admin.token}` } });
      expect(raw.rawPayload.toString("utf8"), tag).toBe(`Return-Path: <sizer-${tag}@example.test>\r\n${data}`);
    }
  });
});
