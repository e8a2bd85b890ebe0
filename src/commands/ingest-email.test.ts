import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../db/raw.js";
import { inboundMail } from "../db/schema.js";
import { FakeClock } from "../domain/clock.js";
import { SYSTEM } from "../domain/principal.js";
import { startHarness } from "../test-support/harness.js";
import { bytesOf, composeMail, ingestRaw, rawMail } from "../test-support/inbound-mail.js";
import { ticketApi } from "../test-support/ticket-api.js";
import { openTestStore } from "../test-support/test-store.js";
import { createLevel } from "./create-level.js";
import { createTeam } from "./create-team.js";
import { ingestEmail } from "./ingest-email.js";
import { reprocessInboundMail } from "./reprocess-inbound-mail.js";

describe("taking in mail before the organisation exists", async () => {
  const store = await openTestStore();
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const sys = { db: store.db, clock, actor: SYSTEM };

  it("quarantines a mail that cannot be filed yet, and files it on reprocessing once it can", async () => {
    const raw = await composeMail({ from: "early@example.test", to: "support@tierline.test", subject: "First!", text: "Anyone there?", messageId: "<early@example.test>" });
    const input = { raw, mailbox: null, source: { kind: "smtp" as const, envelopeFrom: "early@example.test" }, maxAttachmentBytes: 1_000_000 };
    const held = await ingestEmail(sys, input);
    expect(held).toMatchObject({ status: "quarantined", ticketId: null });
    expect(held.reason).toMatch(/^could not be filed: No frontline team exists yet/);
    // Nothing of the failed attempt stayed behind: no customer was added.
    expect(await store.db.query.customers.findMany()).toEqual([]);
    expect(await ingestEmail(sys, input)).toMatchObject({ status: "duplicate", inboundMailId: held.inboundMailId });

    const l1 = await createLevel(sys, { name: "L1", rank: 1 });
    await createTeam(sys, { name: "Frontline", levelId: l1.id, kind: "frontline" });
    await reprocessInboundMail(sys, held.inboundMailId, { maxAttachmentBytes: 1_000_000 });
    const [record] = await store.db.query.inboundMail.findMany();
    expect(record).toMatchObject({ id: held.inboundMailId, status: "ticket", reason: null });
    const ticket = await store.db.query.tickets.findFirst();
    expect(ticket).toMatchObject({ id: record!.ticketId, subject: "First!", channel: "email" });
  });
});

describe("filing mail as it comes in the wild (issue 9, items 16–19)", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  let n = 0;
  const id = () => `<wild-${++n}@example.test>`;
  const countRows = async (table: "customers" | "tickets" | "messages") =>
    (await queryRows<{ n: number }>(h.store.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
  /** Rows holding U+FFFD in any text the mail gave them. */
  const replacementRows = async () =>
    (
      await queryRows<{ n: number }>(
        h.store.db,
        sql`select ((select count(*) from tickets where subject like ${"%\ufffd%"} or description like ${"%\ufffd%"} or coalesce(description_html, '') like ${"%\ufffd%"})
                 + (select count(*) from customers where name like ${"%\ufffd%"})
                 + (select count(*) from messages where body like ${"%\ufffd%"})
                 + (select count(*) from attachments where filename like ${"%\ufffd%"}))::int as n`,
      )
    )[0]!.n;

  it("stores the subject, customer name, text and file names of 8-bit mail as written, in GB2312 and mislabelled Shift_JIS", async () => {
    const gb = (s: string) => bytesOf(s, "gb2312");
    const opened = await ingestRaw(
      h,
      rawMail(
        "From: ", gb("张伟"), " <zhang.wei@example.cn>\r\nTo: support@tierline.test\r\nSubject: ", gb("退款申请：订单 8812"), `\r\nMessage-ID: ${id()}\r\n`,
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        gb("您好，订单 8812 的商品有质量问题，请退款。"), "\r\n--x\r\nContent-Type: image/jpeg; charset=gb2312\r\nContent-Disposition: attachment; filename=\"", gb("照片.jpg"), "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/\r\n--x--\r\n",
      ),
    );
    expect(opened.status).toBe("ticket");
    const ticket = await t.ticket(opened.ticketId!);
    expect([ticket.subject, ticket.description]).toEqual(["退款申请：订单 8812", "您好，订单 8812 的商品有质量问题，请退款。"]);
    const customer = await h.store.db.query.customers.findFirst({ where: (c, { eq }) => eq(c.email, "zhang.wei@example.cn") });
    expect(customer?.name).toBe("张伟");
    const files = await h.store.db.query.attachments.findMany({ where: (a, { eq }) => eq(a.ticketId, ticket.id) });
    expect(files.map((f) => f.filename)).toEqual(["照片.jpg"]);

    const sjis = bytesOf("追加の写真を送ります。よろしくお願いします。", "shift_jis");
    const reply = await ingestRaw(
      h,
      rawMail(
        `From: zhang.wei@example.cn\r\nTo: support@tierline.test\r\nSubject: =?ISO-2022-JP?B?${bytesOf("追加情報", "shift_jis").toString("base64")}?= [#${ticket.number}]\r\nMessage-ID: ${id()}\r\n`,
        "Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: base64\r\n\r\n", sjis.toString("base64"), "\r\n",
      ),
    );
    expect(reply.status).toBe("reply");
    const [message] = (await t.all(t.as.admin, `/tickets/${ticket.id}/messages`)) as { body: string }[];
    expect(message!.body).toBe("追加の写真を送ります。よろしくお願いします。");
    expect(await replacementRows()).toBe(0);
  });

  it("names the customer after the address actually used, and quarantines an address that is no mailbox without making a customer", async () => {
    const glued = await ingestRaw(h, Buffer.from(`From: "Support Team" <>, Ana Real <ana.real@example.test>\r\nTo: support@tierline.test\r\nSubject: Help\r\nMessage-ID: ${id()}\r\n\r\nhello\r\n`));
    expect(glued.status).toBe("ticket");
    const ana = await h.store.db.query.customers.findFirst({ where: (c, { eq }) => eq(c.email, "ana.real@example.test") });
    expect(ana?.name).toBe("Ana Real");

    for (const from of ["john smith@example.test", '"john smith"@example.test', "John <john smith@example.test>"]) {
      const before = await Promise.all([countRows("customers"), countRows("tickets")]);
      const held = await ingestRaw(h, Buffer.from(`From: ${from}\r\nTo: support@tierline.test\r\nSubject: Help\r\nMessage-ID: ${id()}\r\n\r\nhello\r\n`));
      expect(held).toMatchObject({ status: "quarantined", ticketId: null, reason: expect.stringMatching(/^the From address ".*john smith.*" is not a valid mailbox$/) });
      expect(await Promise.all([countRows("customers"), countRows("tickets")]), from).toEqual(before);
      expect(await h.store.db.query.customers.findFirst({ where: (c, { eq }) => eq(c.email, "smith@example.test") })).toBeUndefined();
    }
  });

  it("files a bounce kept in quarantine with two Return-Paths, one null, as ignored when reprocessed", async () => {
    // As an earlier version stored it: quarantined (here: for its size), with the listener's Return-Path on top.
    const raw = Buffer.from(`Return-Path: <relay@example.test>\r\nReturn-Path: <>\r\nFrom: postmaster@example.test\r\nSubject: Undelivered Mail\r\nMessage-ID: ${id()}\r\n\r\nYour mail could not be delivered.\r\n`);
    const [held] = await h.store.db
      .insert(inboundMail)
      .values({ source: "smtp", messageId: `<held-${n}@example.test>`, status: "quarantined", reason: "attachments over the limit", raw, receivedAt: h.clock.now() })
      .returning();
    const tickets = await countRows("tickets");
    const res = await t.send(t.as.admin, "POST", `/inbound-mail/${held!.id}/reprocess`);
    expect(res.status, res.text).toBe(200);
    const [after] = await h.store.db.select().from(inboundMail).where(eq(inboundMail.id, held!.id));
    expect(after).toMatchObject({ status: "ignored", reason: "bounce (empty return path)", ticketId: null });
    expect(await countRows("tickets")).toBe(tickets);
  });

  it("keeps the first mail's HTML, sanitised, on the ticket as replies keep theirs", async () => {
    const html = '<p>Hello <b>team</b> <img src="x" onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a></p>';
    const opened = await ingestRaw(h, await composeMail({ from: "html@example.test", to: "support@tierline.test", subject: "HTML", html, messageId: id() }));
    const ticket = await t.ticket(opened.ticketId!);
    expect(ticket.description).toMatch(/^Hello team/);
    expect(ticket.descriptionHtml).toContain("<b>team</b>");
    for (const bad of ["<script", "onerror", "javascript:", "alert"]) expect(ticket.descriptionHtml).not.toContain(bad);
    const reply = await ingestRaw(h, await composeMail({ from: "html@example.test", to: "support@tierline.test", subject: `Re: HTML [#${ticket.number}]`, html: "<p>More <i>info</i></p>", messageId: id() }));
    const [message] = (await t.all(t.as.admin, `/tickets/${ticket.id}/messages`)) as { id: string; bodyHtml: string }[];
    expect(message).toMatchObject({ id: reply.messageRowId, bodyHtml: expect.stringContaining("<p>More <i>info</i></p>") });

    const plain = await ingestRaw(h, await composeMail({ from: "plain@example.test", to: "support@tierline.test", subject: "Plain", text: "just text", messageId: id() }));
    expect((await t.ticket(plain.ticketId!)).descriptionHtml).toBeNull();
  });
});
