import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { readBlob } from "../../blobs/blob-store.js";
import { attachments, inboundMail } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { composeMail, ingestRaw } from "../../test-support/inbound-mail.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi } from "../../test-support/ticket-api.js";

describe("the inbound mail log and quarantine", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;

  let n = 0;
  const mail = (extra: Record<string, unknown> = {}) => {
    n += 1;
    return composeMail({ from: `sender-${n}@example.test`, to: "support@tierline.test", subject: `Mail ${n}`, text: `Text ${n}`, messageId: `<log-${n}@example.test>`, ...extra });
  };

  it("lists mail newest first, by status, page by page, for managers and admins", async () => {
    const ticket = await ingestRaw(h, await mail());
    h.clock.advance(1000);
    const ignored = await ingestRaw(h, await mail({ headers: { "Auto-Submitted": "auto-generated" } }));
    h.clock.advance(1000);
    const quarantined = await ingestRaw(h, Buffer.from("Subject: who?\r\n\r\nno sender\r\n"));
    h.clock.advance(1000);
    expect([ticket.status, ignored.status, quarantined.status]).toEqual(["ticket", "ignored", "quarantined"]);

    const all = await t.all(as.mark, "/inbound-mail", 1);
    expect(all.slice(0, 3).map((m) => m.id)).toEqual([quarantined.inboundMailId, ignored.inboundMailId, ticket.inboundMailId]);
    expect(all[1]).toMatchObject({ status: "ignored", reason: "auto-reply (Auto-Submitted: auto-generated)", source: "smtp", ticketId: null });
    expect(all[2]).toMatchObject({ status: "ticket", ticketId: ticket.ticketId, fromAddress: expect.stringMatching(/^sender-\d+@example\.test$/) });
    expect(all[0].size).toBeGreaterThan(0);
    const onlyQuarantine = await t.all(as.admin, "/inbound-mail?status=quarantined");
    expect(onlyQuarantine.every((m) => m.status === "quarantined")).toBe(true);
    expect(onlyQuarantine.map((m) => m.id)).toContain(quarantined.inboundMailId);

    expectProblem(await t.send(as.alice, "GET", "/inbound-mail"), 403, "forbidden");
    expectProblem(await t.send(as.lena, "GET", `/inbound-mail/${ticket.inboundMailId}/raw`), 403, "forbidden");
    expectProblem(await t.send(await t.signIn(h.org.customers.carol.email), "GET", "/inbound-mail"), 403, "forbidden");
    expectInvalid(await t.send(as.admin, "GET", "/inbound-mail?status=lost"), ["querystring.status"]);
    expectInvalid(await t.send(as.admin, "GET", "/inbound-mail?cursor=forged"), ["querystring.cursor"]);
    expectProblem(await t.send(as.admin, "GET", "/inbound-mail/00000000-0000-4000-8000-000000000000/raw"), 404, "inbound_mail_not_found");
  });

  it("downloads the raw message byte for byte", async () => {
    const raw = await mail({ subject: "Grüße 🌍", text: "Bytes 😀" });
    const outcome = await ingestRaw(h, raw);
    const res = await h.api("GET", `/api/v1/inbound-mail/${outcome.inboundMailId}/raw`, { token: h.org.agents.admin.token });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("message/rfc822");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="inbound-${outcome.inboundMailId}.eml"; filename*=UTF-8''inbound-${outcome.inboundMailId}.eml`);
    expect(Buffer.from(res.text, "utf8").equals(raw)).toBe(true);
  });

  it("reprocesses a quarantined mail with today's limits, keeping its record", async () => {
    const raw = await mail({ attachments: [{ filename: "scan.pdf", content: Buffer.alloc(5_000, 1), contentType: "application/pdf" }] });
    const held = await ingestRaw(h, raw, { maxAttachmentBytes: 1_000 });
    expect(held).toMatchObject({ status: "quarantined", reason: "attachments of 5000 bytes exceed the limit of 1000 bytes per mail", ticketId: null });

    // The harness runs with the default limit (25 MB): now it fits.
    const res = await t.send(as.mark, "POST", `/inbound-mail/${held.inboundMailId}/reprocess`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: held.inboundMailId, status: "ticket", reason: null });
    const files = await t.all(as.admin, `/tickets/${res.body.ticketId}/attachments`);
    expect(files.map((f) => [f.filename, f.size])).toEqual([["scan.pdf", 5_000]]);

    expectProblem(await t.send(as.admin, "POST", `/inbound-mail/${held.inboundMailId}/reprocess`), 409, "inbound_mail_not_quarantined");
    expect((await ingestRaw(h, raw)).status).toBe("duplicate");
  });

  it("leaves a mail that still cannot be filed in quarantine, with the reason", async () => {
    const held = await ingestRaw(h, Buffer.from("Subject: still nobody\r\n\r\nno sender\r\n"));
    const res = await t.send(as.admin, "POST", `/inbound-mail/${held.inboundMailId}/reprocess`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "quarantined", reason: "no usable From address" });
    expectProblem(await t.send(as.alice, "POST", `/inbound-mail/${held.inboundMailId}/reprocess`), 403, "forbidden");
    expectProblem(await t.send(as.admin, "POST", "/inbound-mail/00000000-0000-4000-8000-000000000000/reprocess"), 404, "inbound_mail_not_found");
    expectInvalid(await t.send(as.admin, "POST", "/inbound-mail/not-a-uuid/reprocess"), ["params.id"]);
  });

  it("reprocesses from the blob store: the raw mail and its files are read there and stored there", async () => {
    const pdf = Buffer.alloc(200_000, 7);
    const raw = await mail({ attachments: [{ filename: "big scan.pdf", content: pdf, contentType: "application/pdf" }] });
    const held = await ingestRaw(h, raw, { maxAttachmentBytes: 1_000 });
    const [record] = await h.store.db.select().from(inboundMail).where(eq(inboundMail.id, held.inboundMailId));
    expect(record).toMatchObject({ raw: null, rawSize: raw.length });
    expect((await readBlob(h.store.blobs, record!.rawSha256!)).equals(raw)).toBe(true);
    const res = await t.send(as.admin, "POST", `/inbound-mail/${held.inboundMailId}/reprocess`);
    expect(res.body).toMatchObject({ status: "ticket", size: raw.length });
    const [file] = await h.store.db.select().from(attachments).where(eq(attachments.ticketId, res.body.ticketId));
    expect(file).toMatchObject({ filename: "big scan.pdf", size: pdf.length, content: null });
    expect((await readBlob(h.store.blobs, file!.sha256)).equals(pdf)).toBe(true);
  });

  it("still serves and reprocesses mail recorded before the blob store, with its bytes in the row", async () => {
    const raw = await mail({ subject: "Alt", text: "Von früher" });
    const [legacy] = await h.store.db
      .insert(inboundMail)
      .values({ source: "smtp", messageId: "<legacy@example.test>", status: "quarantined", reason: "no intake team yet", raw, receivedAt: h.clock.now() })
      .returning();
    const listed = await t.send(as.admin, "GET", `/inbound-mail/${legacy!.id}`);
    expect(listed.body.size).toBe(raw.length);
    const download = await h.app.inject({ method: "GET", url: `/api/v1/inbound-mail/${legacy!.id}/raw`, headers: { authorization: `Bearer ${h.org.agents.admin.token}` } });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(raw)).toBe(true);
    const res = await t.send(as.admin, "POST", `/inbound-mail/${legacy!.id}/reprocess`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "ticket", subject: "Alt" });
  });
});
