import { afterAll, describe, expect, it } from "vitest";
import { startDovecot } from "../../../test-support/dovecot.js";
import { startHarness } from "../../../test-support/harness.js";
import { composeMail } from "../../../test-support/inbound-mail.js";
import { expectProblem } from "../../../test-support/problem-assertions.js";
import { ticketApi } from "../../../test-support/ticket-api.js";
import { ImapPollers, nextPollDelayMs } from "./imap-poller.js";

const PASSWORDS = { support: "imap-support-secret", sales: "imap-sales-secret", legal: "imap-legal-secret", bounces: "imap-bounces-secret" };

describe("IMAP polling against a real Dovecot", async () => {
  // Dovecot missing is a failure here, with instructions, never a skip.
  const dovecot = await startDovecot(PASSWORDS);
  afterAll(() => dovecot.stop());
  const h = await startHarness();
  const t = ticketApi(h);
  const deps = { db: h.store.db, clock: h.clock, maxAttachmentBytes: 1_000_000 };

  let n = 0;
  const mail = (subject: string, extra: Record<string, unknown> = {}) => {
    n += 1;
    return composeMail({ from: `Imap Customer ${n} <imap-${n}@example.test>`, to: "support@imap.test", subject, text: `Body of ${subject} ✉️`, messageId: `<imap-${n}-${Date.now()}@example.test>`, ...extra });
  };
  async function addMailbox(name: string, user: keyof typeof PASSWORDS, extra: Record<string, unknown> = {}) {
    const res = await t.send(t.as.admin, "POST", "/mailboxes", {
      name,
      address: `${name.toLowerCase().replace(/\W+/g, "-")}@imap.test`,
      imapHost: dovecot.host,
      imapPort: dovecot.port,
      imapSecure: false,
      imapUser: user,
      imapPassword: PASSWORDS[user],
      ...extra,
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }
  async function poll(mailboxId: string) {
    const res = await t.send(t.as.admin, "POST", `/mailboxes/${mailboxId}/poll`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }
  /** A mailbox's inbound log by subject (mail of one poll shares the fake clock's time, so time does not order it). */
  const logOf = async (mailboxId: string) =>
    (await t.all(t.as.admin, `/inbound-mail?mailboxId=${mailboxId}`)).sort((a, b) => (a.subject < b.subject ? -1 : 1));
  async function seenFlags(user: string, folder: string) {
    const c = await dovecot.client(user);
    try {
      await c.mailboxOpen(folder);
      const flags: Record<number, boolean> = {};
      for await (const m of c.fetch("1:*", { uid: true, flags: true }, { uid: true })) flags[m.uid] = m.flags?.has("\\Seen") ?? false;
      return flags;
    } finally {
      await c.logout();
    }
  }

  it("takes new mail as tickets, flags it \\Seen, and resumes after the last UID in a new process", async () => {
    const mailbox = await addMailbox("Support", "support", { teamId: h.org.teams.technical.id });
    await dovecot.append("support", await mail("Router offline"));
    await dovecot.append("support", await mail("Wi-Fi slow"));
    const first = await poll(mailbox.id);
    expect(first).toMatchObject({ fetched: 2, filed: { ticket: 2, reply: 0, ignored: 0, quarantined: 0, duplicate: 0 }, lastUid: 2 });
    const log = await logOf(mailbox.id);
    expect(log.map((m) => [m.source, m.status, m.subject])).toEqual([
      ["imap", "ticket", "Router offline"],
      ["imap", "ticket", "Wi-Fi slow"],
    ]);
    const ticket = await t.ticket(log[0].ticketId);
    expect(ticket).toMatchObject({ channel: "email", teamId: h.org.teams.technical.id, description: "Body of Router offline ✉️" });
    expect(await seenFlags("support", "INBOX")).toEqual({ 1: true, 2: true });
    const stored = (await t.send(t.as.admin, "GET", `/mailboxes/${mailbox.id}`)).body;
    expect(stored).toMatchObject({ lastUid: 2, uidValidity: first.uidValidity });

    // A new process knows only what the store says. The first message is marked unread again: polling
    // follows UIDs, not the \Seen flag, so it is not taken twice.
    const c = await dovecot.client("support");
    await c.mailboxOpen("INBOX");
    await c.messageFlagsRemove("1", ["\\Seen"], { uid: true });
    await c.logout();
    await dovecot.append("support", await mail("Printer jammed"));
    const restarted = new ImapPollers(deps, { warn: () => undefined });
    expect((await restarted.pollAll()).size).toBe(0);
    expect((await logOf(mailbox.id)).map((m) => m.subject)).toEqual(["Printer jammed", "Router offline", "Wi-Fi slow"]);
    expect((await t.send(t.as.admin, "GET", `/mailboxes/${mailbox.id}`)).body.lastUid).toBe(3);
    expect((await poll(mailbox.id)).fetched).toBe(0);
  });

  it("threads a polled reply onto its ticket and ignores a polled auto-reply", async () => {
    const mailbox = await addMailbox("Sales", "sales");
    const original = await mail("Quote please");
    await dovecot.append("sales", original);
    await poll(mailbox.id);
    const [opened] = await logOf(mailbox.id);
    const customerAddress = opened.fromAddress;
    await dovecot.append("sales", await composeMail({ from: customerAddress, to: "sales@imap.test", subject: "Re: Quote please", text: "Any news?", inReplyTo: opened.messageId }));
    await dovecot.append("sales", await composeMail({ from: customerAddress, to: "sales@imap.test", subject: "Out of office", text: "Away.", headers: { "Auto-Submitted": "auto-replied" } }));
    const result = await poll(mailbox.id);
    expect(result.filed).toMatchObject({ reply: 1, ignored: 1 });
    const log = await logOf(mailbox.id);
    expect(log.map((m) => [m.subject, m.status, m.ticketId])).toEqual([
      ["Out of office", "ignored", null],
      ["Quote please", "ticket", opened.ticketId],
      ["Re: Quote please", "reply", opened.ticketId],
    ]);
  });

  it("ignores a polled bounce whose null Return-Path sits under the delivering server's own", async () => {
    const mailbox = await addMailbox("Bounces", "bounces");
    const headers = (paths: string[], subject: string) =>
      Buffer.from([...paths.map((p) => `Return-Path: ${p}`), "From: postmaster@example.test", "To: bounces@imap.test", `Subject: ${subject}`, `Message-ID: <${subject.replace(/\W/g, "")}-${Date.now()}@example.test>`, "", "Delivery failed.", ""].join("\r\n"));
    await dovecot.append("bounces", headers(["<relay@example.test>", "<>"], "Bounce one"));
    await dovecot.append("bounces", headers(["<>", "<relay@example.test>"], "Bounce two"));
    await dovecot.append("bounces", headers(["<relay@example.test>", "<origin@example.test>"], "Real mail"));
    const result = await poll(mailbox.id);
    expect(result.filed).toMatchObject({ ticket: 1, ignored: 2 });
    expect((await logOf(mailbox.id)).map((m) => [m.subject, m.status, m.reason])).toEqual([
      ["Bounce one", "ignored", "bounce (empty return path)"],
      ["Bounce two", "ignored", "bounce (empty return path)"],
      ["Real mail", "ticket", null],
    ]);
  });

  it("starts over when the folder's UIDVALIDITY changes, filing mail taken before only once", async () => {
    const mailbox = await addMailbox("Legal", "legal", { imapFolder: "Claims" });
    const known = await mail("Claim one");
    for (const raw of [known, await mail("Claim two"), await mail("Claim three")]) await dovecot.append("legal", raw, "Claims");
    const before = await poll(mailbox.id);
    expect(before).toMatchObject({ fetched: 3, lastUid: 3 });

    // The folder is recreated: its UIDs start at 1 again, under a new UIDVALIDITY.
    const c = await dovecot.client("legal");
    await c.mailboxDelete("Claims");
    await c.logout();
    await dovecot.append("legal", known, "Claims");
    await dovecot.append("legal", await mail("Claim four"), "Claims");
    const after = await poll(mailbox.id);
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(after).toMatchObject({ fetched: 2, filed: { duplicate: 1, ticket: 1 }, lastUid: 2 });
    expect((await logOf(mailbox.id)).map((m) => m.subject)).toEqual(["Claim four", "Claim one", "Claim three", "Claim two"]);
  });

  it("logs a failing mailbox without its password and backs off, while the others keep going", async () => {
    const good = await addMailbox("Good", "support", { imapFolder: "Good" });
    const bad = await addMailbox("Wrong password", "support", { imapPassword: "not-the-password-42", imapFolder: "Good" });
    await dovecot.append("support", await mail("Still polled"), "Good");
    const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
    const pollers = new ImapPollers(deps, { warn: (obj, msg) => warnings.push({ obj: obj as Record<string, unknown>, msg }) });
    const failed = await pollers.pollAll();
    expect([...failed.keys()]).toEqual([bad.id]);
    expect((await logOf(good.id)).map((m) => m.subject)).toEqual(["Still polled"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: "polling a mailbox failed", obj: { mailbox: "Wrong password", host: "127.0.0.1", failures: 1, retryInSeconds: 120 } });
    expect(String(warnings[0]!.obj.error)).toMatch(/^IMAP connecting to 127\.0\.0\.1 failed: /);
    expect(JSON.stringify(warnings)).not.toContain("not-the-password-42");
    expect((await pollers.pollAll()).size).toBe(1);
    expect(warnings[1]!.obj).toMatchObject({ failures: 2, retryInSeconds: 240 });

    const res = await t.send(t.as.admin, "POST", `/mailboxes/${bad.id}/poll`);
    expectProblem(res, 502, "mailbox_unreachable");
    expect(res.text).not.toContain("not-the-password-42");
  });

  it("polls on start in the background, as `serve` runs it", async () => {
    const mailbox = await addMailbox("Background", "sales", { imapFolder: "Background" });
    await dovecot.append("sales", await mail("Found by the scheduler"), "Background");
    const pollers = new ImapPollers(deps, { warn: () => undefined });
    await pollers.start();
    try {
      // The first poll of every mailbox is due at once; wait for its effect (not for a time).
      for (let i = 0; i < 300 && (await logOf(mailbox.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await pollers.stop();
    }
    expect((await logOf(mailbox.id)).map((m) => m.subject)).toEqual(["Found by the scheduler"]);
  });

  it("waits the poll interval, doubled per failure up to an hour", () => {
    expect([0, 1, 2, 3, 10].map((f) => nextPollDelayMs(60, f))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000]);
    expect(nextPollDelayMs(7200, 3)).toBe(7_200_000);
  });
});
