import { beforeAll, describe, expect, it } from "vitest";
import { addMessage } from "../../commands/add-message.js";
import { createCustomer } from "../../commands/create-customer.js";
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { readBlob } from "../../blobs/blob-store.js";
import { attachments, inboundMail } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { composeMail, ingestRaw } from "../../test-support/inbound-mail.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";
import { ticketApi, type Caller } from "../../test-support/ticket-api.js";

describe("attachments", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
  let ticketId: string;
  let carol: Caller;
  let other: Caller;
  let files: { id: string; filename: string; url: string }[];
  let noteFileId: string;

  beforeAll(async () => {
    // Carol (who can sign in) writes in with two files.
    const outcome = await ingestRaw(
      h,
      await composeMail({
        from: `Carol <${h.org.customers.carol.email}>`,
        to: "support@tierline.test",
        subject: "Screenshots",
        text: "See the screenshots.",
        attachments: [
          { filename: "screen.png", content: png, contentType: "image/png" },
          { filename: "drawing.svg", content: svg, contentType: "image/svg+xml" },
        ],
      }),
    );
    expect(outcome.status).toBe("ticket");
    ticketId = outcome.ticketId!;
    carol = await t.signIn(h.org.customers.carol.email);
    await createCustomer(h.org.sys, { email: "olga@customer.test", name: "Olga", password: TEST_PASSWORD });
    other = await t.signIn("olga@customer.test");
    files = (await t.all(as.admin, `/tickets/${ticketId}/attachments`)).sort((a, b) => (a.filename < b.filename ? -1 : 1));
    // A file on an internal note (no API attaches files to notes yet, so the row is written directly).
    const note = await addMessage({ ...h.org.sys, actor: h.org.agents.alice.principal }, ticketId, { body: "Looks like the known bug.", kind: "internal" });
    const [row] = await h.store.db
      .insert(attachments)
      .values({ ticketId, messageId: note.id, filename: "internal-log.txt", contentType: "text/plain", size: 7, sha256: "0".repeat(64), content: Buffer.from("secrets") })
      .returning();
    noteFileId = row!.id;
  });

  const download = (url: string, who: Caller) => h.api("GET", url, "token" in who ? { token: who.token } : { cookie: who.cookie });

  it("lets the customer, the ticket's team and managers download, with the stored type and as a download", async () => {
    expect(files.map((f) => f.filename)).toEqual(["drawing.svg", "screen.png"]);
    const screen = files[1]!;
    for (const who of [carol, as.alice, as.mark, as.admin]) {
      const res = await download(screen.url, who);
      expect(res.status, res.text).toBe(200);
      expect(res.headers["content-type"]).toBe("image/png");
      expect(res.headers["content-disposition"]).toBe(`attachment; filename="screen.png"; filename*=UTF-8''screen.png`);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["content-security-policy"]).toBe("default-src 'none'; sandbox");
      expect(Number(res.headers["content-length"])).toBe(png.length);
    }
  });

  it("serves active content (SVG) as application/octet-stream", async () => {
    const res = await download(files[0]!.url, as.admin);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(res.text).toBe(svg.toString());
  });

  it("answers 404 to whoever may not see the ticket", async () => {
    for (const who of [other, as.bob, as.tina]) {
      expectProblem(await download(files[1]!.url, who), 404, "attachment_not_found");
      expectProblem(await t.send(who, "GET", `/tickets/${ticketId}/attachments`), 404, "ticket_not_found");
    }
    expectProblem(await t.send(undefined, "GET", `/attachments/${files[1]!.id}`), 401, "unauthenticated");
    expectProblem(await t.send(as.admin, "GET", "/attachments/00000000-0000-4000-8000-000000000000"), 404, "attachment_not_found");
    expectInvalid(await t.send(as.admin, "GET", "/attachments/not-a-uuid"), ["params.id"]);
  });

  it("never shows a customer the files of internal notes", async () => {
    const seenByCarol = await t.all(carol, `/tickets/${ticketId}/attachments`);
    expect(seenByCarol.map((f) => f.filename).sort()).toEqual(["drawing.svg", "screen.png"]);
    expectProblem(await download(`/api/v1/attachments/${noteFileId}`, carol), 404, "attachment_not_found");
    const seenByAlice = await t.all(as.alice, `/tickets/${ticketId}/attachments`);
    expect(seenByAlice.map((f) => f.filename).sort()).toEqual(["drawing.svg", "internal-log.txt", "screen.png"]);
    const res = await download(`/api/v1/attachments/${noteFileId}`, as.alice);
    expect([res.status, res.text]).toEqual([200, "secrets"]);
  });

  it("keeps the mail's order of its files (six of them), then the next mail's, page by page", async () => {
    const names = ["zeta-invoice.pdf", "Änderung März.docx", "b.png", "2026-03-02 log.txt", "aaa.csv", "photo (1).jpg"];
    const first = await ingestRaw(
      h,
      await composeMail({
        from: `Carol <${h.org.customers.carol.email}>`,
        to: "support@tierline.test",
        subject: "Six files",
        text: "All six.",
        messageId: "<six-files@customer.test>",
        attachments: names.map((filename, i) => ({ filename, content: Buffer.from(`file ${i}`), contentType: "application/octet-stream" })),
      }),
    );
    expect(first.status).toBe("ticket");
    const reply = await ingestRaw(
      h,
      await composeMail({
        from: `Carol <${h.org.customers.carol.email}>`,
        to: "support@tierline.test",
        subject: "Re: Six files",
        text: "Two more.",
        inReplyTo: "<six-files@customer.test>",
        attachments: ["y.txt", "x.txt"].map((filename) => ({ filename, content: Buffer.from(filename), contentType: "text/plain" })),
      }),
    );
    expect(reply.status).toBe("reply");
    const expected = [...names, "y.txt", "x.txt"];
    for (const who of [as.admin, carol]) {
      const pages: string[][] = [];
      let url = `/tickets/${first.ticketId}/attachments?limit=3`;
      for (;;) {
        const res = await t.send(who, "GET", url);
        expect(res.status, res.text).toBe(200);
        pages.push(res.body.data.map((f: { filename: string }) => f.filename));
        if (!res.body.nextCursor) break;
        url = `/tickets/${first.ticketId}/attachments?limit=3&cursor=${res.body.nextCursor}`;
      }
      expect(pages).toEqual([expected.slice(0, 3), expected.slice(3, 6), expected.slice(6)]);
    }
    const rows = await h.store.db.select({ filename: attachments.filename, position: attachments.position }).from(attachments).where(eq(attachments.ticketId, first.ticketId!));
    expect(rows.sort((a, b) => a.position - b.position).map((r) => r.filename)).toEqual(expected);
  });

  it("keeps file and mail bytes in the blob store, not in the rows, and streams them back", async () => {
    // 3 MB of bytes that do not compress, with a name in UTF-8 and spaces.
    const pdf = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0, x = 1; i < pdf.length; i++) pdf[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    const raw = await composeMail({
      from: `Carol <${h.org.customers.carol.email}>`,
      to: "support@tierline.test",
      subject: "Rechnung",
      text: "Anbei.",
      attachments: [{ filename: "Rechnung März 2026.pdf", content: pdf, contentType: "application/pdf" }],
    });
    const outcome = await ingestRaw(h, raw);
    const [file] = await h.store.db.select().from(attachments).where(eq(attachments.ticketId, outcome.ticketId!));
    expect(file).toMatchObject({ size: pdf.length, sha256: createHash("sha256").update(pdf).digest("hex"), content: null });
    expect((await readBlob(h.store.blobs, file!.sha256)).equals(pdf)).toBe(true);
    const [record] = await h.store.db.select().from(inboundMail).where(eq(inboundMail.id, outcome.inboundMailId));
    expect(record).toMatchObject({ raw: null, rawSize: raw.length, rawSha256: createHash("sha256").update(raw).digest("hex") });

    const res = await h.app.inject({ method: "GET", url: `/api/v1/attachments/${file!.id}`, headers: { authorization: `Bearer ${h.org.agents.admin.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(Number(res.headers["content-length"])).toBe(pdf.length);
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="Rechnung M_rz 2026.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz%202026.pdf`);
    expect(res.rawPayload.equals(pdf)).toBe(true);
  });
});
