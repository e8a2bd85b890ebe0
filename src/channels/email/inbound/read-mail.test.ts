import { describe, expect, it } from "vitest";
import { composeMail } from "../../../test-support/inbound-mail.js";
import { readMail } from "./read-mail.js";

const opts = { ownAddresses: new Set(["support@tierline.test"]), maxAttachmentBytes: 1_000_000 };

describe("reading an inbound mail", () => {
  it("gives a mail without Message-ID a stable one from its bytes", async () => {
    const raw = Buffer.from("From: a@example.test\r\nSubject: no id\r\n\r\nhello\r\n");
    const [first, again] = [await readMail(raw, opts), await readMail(raw, opts)];
    expect(first.messageId).toMatch(/^<[0-9a-f]{64}\.no-message-id@tierline\.invalid>$/);
    expect(again.messageId).toBe(first.messageId);
  });

  it("reads In-Reply-To and References (nearest first) as bracketed ids", async () => {
    const raw = Buffer.from("From: a@example.test\r\nIn-Reply-To: <x@t>\r\nReferences: <a@t>\r\n <b@t> <x@t>\r\nSubject: re\r\n\r\nhi\r\n");
    const mail = await readMail(raw, opts);
    expect([mail.inReplyTo, mail.references]).toEqual([["<x@t>"], ["<x@t>", "<b@t>", "<a@t>"]]);
  });

  it("shortens a long subject without splitting an emoji", async () => {
    const mail = await readMail(await composeMail({ from: "a@example.test", subject: `${"x".repeat(299)}😀 tail`, text: "t" }), opts);
    expect(mail.subject).toBe("x".repeat(299));
    expect(mail.subject).not.toMatch(/[\ud800-\udbff]$/);
  });

  it("keeps only the base name of an attachment's file name", async () => {
    const mail = await readMail(await composeMail({ from: "a@example.test", text: "t", attachments: [{ filename: "../../etc/passwd", content: "x" }, { filename: false, content: "y" }] }), opts);
    expect(mail.attachments.map((a) => a.filename)).toEqual(["passwd", "attachment-2"]);
  });

  it("ignores a stored bounce by its empty Return-Path and mail from our own address (a loop)", async () => {
    const bounce = await readMail(Buffer.from("Return-Path: <>\r\nFrom: x@example.test\r\nSubject: failed\r\n\r\nno\r\n"), opts);
    expect(bounce.verdict).toEqual({ kind: "ignore", reason: "bounce (empty return path)" });
    const loop = await readMail(Buffer.from("From: Support <SUPPORT@tierline.test>\r\nSubject: hi\r\n\r\nno\r\n"), opts);
    expect(loop.verdict).toEqual({ kind: "ignore", reason: "mail loop: sent from our own mailbox address support@tierline.test" });
  });
});
