import { createServer } from "node:net";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mailboxes } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { composeMail, ingestRaw } from "../../test-support/inbound-mail.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi } from "../../test-support/ticket-api.js";

const IMAP_PASSWORD = "imap-password-never-shown";

describe("mailboxes", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;

  let n = 0;
  const body = (extra: Record<string, unknown> = {}) => {
    n += 1;
    return { name: `Mailbox ${n}`, address: `box-${n}@tierline.test`, ...extra };
  };
  const create = async (extra: Record<string, unknown> = {}) => {
    const res = await t.send(as.admin, "POST", "/mailboxes", body(extra));
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const countMailboxes = async () => (await h.store.db.select().from(mailboxes)).length;

  it("creates a mailbox with an IMAP account and never shows the password", async () => {
    const res = await t.send(as.admin, "POST", "/mailboxes", {
      name: "Support",
      address: "Support@Tierline.TEST",
      teamId: h.org.teams.billing.id,
      imapHost: "imap.example.test",
      imapUser: "support",
      imapPassword: IMAP_PASSWORD,
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      name: "Support",
      address: "support@tierline.test",
      teamId: h.org.teams.billing.id,
      imapHost: "imap.example.test",
      imapPort: null,
      imapSecure: true,
      imapUser: "support",
      hasImapPassword: true,
      imapFolder: "INBOX",
      pollSeconds: 60,
      uidValidity: null,
      lastUid: 0,
      active: true,
    });
    expect(res.body).not.toHaveProperty("imapPassword");
    const reads = [await t.send(as.admin, "GET", `/mailboxes/${res.body.id}`), await t.send(as.admin, "GET", "/mailboxes?limit=200")];
    for (const r of reads) {
      expect(r.status, r.text).toBe(200);
      expect(r.text).not.toContain(IMAP_PASSWORD);
    }
    expect(reads[1]!.body.data.map((m: { id: string }) => m.id)).toContain(res.body.id);
    const spec = await h.api("GET", "/api/openapi.json");
    expect(Object.keys(spec.body.components.schemas.Mailbox.properties)).not.toContain("imapPassword");
  });

  it("refuses invalid mailboxes with the failing fields and writes nothing", async () => {
    const before = await countMailboxes();
    expectInvalid(await t.send(as.admin, "POST", "/mailboxes", body({ address: "not-an-address" })), ["body.address"]);
    expectInvalid(await t.send(as.admin, "POST", "/mailboxes", body({ imapHost: "imap.example.test" })), ["body.imapUser"]);
    expectInvalid(await t.send(as.admin, "POST", "/mailboxes", body({ pollSeconds: 1, imapPort: 70000 })), ["body.pollSeconds", "body.imapPort"]);
    expectInvalid(await t.send(as.admin, "POST", "/mailboxes", body({ name: "  " })), ["body.name"]);
    expectProblem(await t.send(as.admin, "POST", "/mailboxes", body({ teamId: "00000000-0000-4000-8000-000000000000" })), 404, "team_not_found");
    const taken = await create();
    expectProblem(await t.send(as.admin, "POST", "/mailboxes", { name: "Other", address: taken.address.toUpperCase() }), 409, "mailbox_exists");
    expect(await countMailboxes()).toBe(before + 1);
  });

  it("is for admins only", async () => {
    const box = await create();
    for (const who of [as.alice, as.lena, as.mark]) {
      expectProblem(await t.send(who, "GET", "/mailboxes"), 403, "forbidden");
      expectProblem(await t.send(who, "POST", "/mailboxes", body()), 403, "forbidden");
      expectProblem(await t.send(who, "PATCH", `/mailboxes/${box.id}`, { active: false }), 403, "forbidden");
    }
    const carol = await t.signIn(h.org.customers.carol.email);
    expectProblem(await t.send(carol, "GET", `/mailboxes/${box.id}`), 403, "forbidden");
    expectProblem(await t.send(undefined, "GET", "/mailboxes"), 401, "unauthenticated");
  });

  it("changes a mailbox: the password stays unless replaced, another folder is polled from its start", async () => {
    const box = await create({ imapHost: "imap.example.test", imapUser: "u", imapPassword: IMAP_PASSWORD });
    await h.store.db.update(mailboxes).set({ uidValidity: 17, lastUid: 42 }).where(eq(mailboxes.id, box.id));
    const renamed = await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, { name: "Renamed", pollSeconds: 30 });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Renamed", pollSeconds: 30, hasImapPassword: true, uidValidity: 17, lastUid: 42 });
    const [stored] = await h.store.db.select().from(mailboxes).where(eq(mailboxes.id, box.id));
    expect(stored!.imapPassword).toBe(IMAP_PASSWORD);

    const moved = await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, { imapFolder: "Support" });
    expect(moved.body).toMatchObject({ imapFolder: "Support", uidValidity: null, lastUid: 0 });

    expectInvalid(await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, { imapPassword: null }), ["body.imapPassword"]);
    expectInvalid(await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, {}), ["body"]);
    const other = await create();
    expectProblem(await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, { address: other.address }), 409, "mailbox_exists");
    expectProblem(await t.send(as.admin, "PATCH", "/mailboxes/00000000-0000-4000-8000-000000000000", { active: false }), 404, "mailbox_not_found");
    const off = await t.send(as.admin, "PATCH", `/mailboxes/${box.id}`, { imapHost: null, imapPassword: null, active: false });
    expect(off.body).toMatchObject({ imapHost: null, hasImapPassword: false, active: false });
  });

  it("deletes a mailbox that never took mail in; one with mail is switched off instead", async () => {
    const unused = await create();
    const del = await t.send(as.admin, "DELETE", `/mailboxes/${unused.id}`);
    expect(del.status, del.text).toBe(204);
    expectProblem(await t.send(as.admin, "GET", `/mailboxes/${unused.id}`), 404, "mailbox_not_found");

    const used = await create();
    await ingestRaw(h, await composeMail({ from: "someone@example.test", to: used.address, subject: "Hi", text: "Hello" }), { mailboxAddress: used.address });
    expectProblem(await t.send(as.admin, "DELETE", `/mailboxes/${used.id}`), 409, "mailbox_in_use");
    expect((await t.send(as.admin, "GET", `/mailboxes/${used.id}`)).status).toBe(200);
  });

  it("polls on request: 409 without an IMAP account, 502 when the server cannot be reached", async () => {
    const plain = await create();
    expectProblem(await t.send(as.admin, "POST", `/mailboxes/${plain.id}/poll`), 409, "mailbox_not_imap");
    const closedPort = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const away = await create({ imapHost: "127.0.0.1", imapPort: closedPort, imapSecure: false, imapUser: "u", imapPassword: IMAP_PASSWORD });
    const res = await t.send(as.admin, "POST", `/mailboxes/${away.id}/poll`);
    expectProblem(res, 502, "mailbox_unreachable");
    expect(res.body.detail).toMatch(/^IMAP connecting to 127\.0\.0\.1 failed: /);
    expect(res.text).not.toContain(IMAP_PASSWORD);
    expectProblem(await t.send(as.alice, "POST", `/mailboxes/${away.id}/poll`), 403, "forbidden");
  });
});
