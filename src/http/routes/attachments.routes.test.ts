import { beforeAll, describe, expect, it } from "vitest";
import { addMessage } from "../../commands/add-message.js";
import { createCustomer } from "../../commands/create-customer.js";
import { attachments } from "../../db/schema.js";
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
});
