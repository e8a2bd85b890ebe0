import iconv from "iconv-lite";
import { connect } from "node:net";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer/index.js";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { Harness } from "./harness.js";
import { ingestEmail, type IngestOutcome } from "../commands/ingest-email.js";
import { createMailbox } from "../commands/create-mailbox.js";
import { CreateMailboxBody } from "../schemas/mailbox.schemas.js";

/** A raw RFC 5322 message built by nodemailer (MIME, encoded words, attachments) from mail options. */
export function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** Sends one mail over real SMTP to 127.0.0.1:port with nodemailer; resolves with the server's final answer. */
export async function sendSmtp(port: number, options: Mail.Options): Promise<{ response: string; accepted: unknown[] }> {
  const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail(options);
    return { response: info.response, accepted: info.accepted };
  } finally {
    transport.close();
  }
}

/**
 * A raw SMTP conversation over a socket, for input no well-behaved client sends: each command is written
 * and its (possibly multi-line) reply read; `DATA` content is sent as given. Returns the reply to each.
 */
export function smtpDialogue(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const replies: string[] = [];
    let buffer = "";
    let next = 0;
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      // A complete reply ends with a line "NNN text" (a space after the code, not a hyphen).
      const match = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
      if (!match) return;
      replies.push(buffer.trimEnd());
      buffer = "";
      if (next === commands.length) {
        socket.end();
        return resolve(replies.slice(1)); // without the greeting
      }
      socket.write(commands[next++]!);
    });
    socket.once("error", reject);
  });
}

/** Takes a mail in directly through the ingest command (for setting up API tests); the mailbox is made once per harness. */
export async function ingestRaw(h: Harness, raw: Buffer, opts: { maxAttachmentBytes?: number; mailboxAddress?: string } = {}): Promise<IngestOutcome> {
  const address = opts.mailboxAddress ?? "support@tierline.test";
  let [mailbox] = await h.store.db.query.mailboxes.findMany({ where: (m, { eq }) => eq(m.address, address) });
  mailbox ??= await createMailbox(h.org.sys, CreateMailboxBody.parse({ name: address, address }));
  return ingestEmail(
    { db: h.store.db, clock: h.clock },
    { raw, mailbox: { id: mailbox.id, teamId: mailbox.teamId }, source: { kind: "smtp", envelopeFrom: "sender@example.test" }, maxAttachmentBytes: opts.maxAttachmentBytes ?? 25 * 1024 * 1024 },
  );
}

/**
 * A raw mail from pieces: strings are ASCII (header syntax, CRLFs), buffers are bytes as given. For
 * fixtures in charsets no composer writes raw (GB2312 in a Subject, Shift_JIS under an ISO-2022-JP label).
 */
export function rawMail(...pieces: (string | Buffer)[]): Buffer {
  return Buffer.concat(pieces.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p)));
}

/** The bytes of a text in a charset (iconv-lite names: gb2312, shift_jis, euc-kr, big5, windows-1251, koi8-r, …). */
export function bytesOf(text: string, charset: string): Buffer {
  return iconv.encode(text, charset);
}
