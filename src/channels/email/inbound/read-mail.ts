import { createHash, randomUUID } from "node:crypto";
import type { ParsedMail } from "mailparser";
import { parseMail, type AttachmentSink, type Parsed, type ParsedAttachment } from "./parse-mail.js";
import { classifyMail, type MailVerdict, type Sender } from "./classify-mail.js";
import { decodeBytes } from "./decode-text.js";
import { parseMailboxes } from "./from-address.js";
import { declaredCharsets, decodeHeaderValue, eightBitBytes, headerValues, splitMessage, textParts } from "./raw-mime.js";
import { sanitizeMailHtml, textOfHtml } from "./sanitize-mail-html.js";

/**
 * A file that came with a mail, ready to store; the id is chosen here so the HTML can link to it. `content`
 * is null when the bytes were streamed into the blob store while parsing (`sha256` and `size` are theirs).
 */
export type MailAttachment = { id: string; filename: string; contentType: string; size: number; sha256: string; content: Buffer | null };

/** An inbound mail as Tierline files it: who, what, which thread, and the verdict of the classifier. */
export type ReadMail = {
  /** The Message-ID in angle brackets; a mail without one gets `<sha256.no-message-id@tierline.invalid>`, so re-taking it is still a no-op. */
  messageId: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  /** Message-IDs (in angle brackets) of In-Reply-To. */
  inReplyTo: string[];
  /** Message-IDs (in angle brackets) of References, nearest (last listed) first. */
  references: string[];
  text: string;
  /** Sanitised HTML, when the mail had an HTML part. */
  html: string | null;
  attachments: MailAttachment[];
  verdict: MailVerdict;
};

export type ReadMailOptions = {
  envelopeFrom?: string | undefined;
  /** The mailboxes' own addresses, lower case. */
  ownAddresses: ReadonlySet<string>;
  /** The most all attachments of one mail may weigh, in bytes; more puts the mail into quarantine. */
  maxAttachmentBytes: number;
  /**
   * Where attachments' bytes go as they are decoded (the blob store's put), so a large file is never held
   * whole; without it they are kept in `content`. Attached mails are always kept (their subject names them).
   */
  storeAttachment?: AttachmentSink | undefined;
};

/** Longest text kept in a ticket or message; the whole mail stays in the inbound log. */
const MAX_TEXT = 100_000;
const MAX_SUBJECT = 300;

/** Where a stored attachment is downloaded; inline images of sanitised HTML point here. */
export const attachmentUrl = (id: string) => `/api/v1/attachments/${id}`;

/**
 * Parses raw RFC 5322 bytes and prepares everything the ingest needs: the verdict (accept, ignore,
 * quarantine), the text (the text part, or text converted from the HTML), the sanitised HTML and the
 * attachments. Never throws for bad input: a mail that cannot be parsed comes back quarantined.
 * NUL characters (which PostgreSQL text cannot hold) are removed from every string.
 */
export async function readMail(raw: Buffer, opts: ReadMailOptions): Promise<ReadMail> {
  const fallbackId = `<${createHash("sha256").update(raw).digest("hex")}.no-message-id@tierline.invalid>`;
  let mail: Parsed;
  try {
    mail = await parseMail(raw, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, checksumAlgo: "sha256" }, opts.storeAttachment);
  } catch (err) {
    return {
      messageId: fallbackId,
      fromAddress: null,
      fromName: null,
      subject: "",
      inReplyTo: [],
      references: [],
      text: "",
      html: null,
      attachments: [],
      verdict: { kind: "quarantine", reason: `unparseable: ${clean(err instanceof Error ? err.message : String(err)).slice(0, 300)}` },
    };
  }
  const raws = rawReadings(raw, mail);
  let verdict = classifyMail(mail, raws.sender, { ...opts, returnPaths: raws.returnPaths });
  const attachments = mail.attachments.map((a, i) => toAttachment(a, i, raw, raws.charsets));
  const attachmentBytes = attachments.reduce((sum, a) => sum + a.size, 0);
  if (verdict.kind === "accept" && attachmentBytes > opts.maxAttachmentBytes) {
    verdict = { kind: "quarantine", reason: `attachments of ${attachmentBytes} bytes exceed the limit of ${opts.maxAttachmentBytes} bytes per mail` };
  }
  const inline = new Map<string, string>();
  mail.attachments.forEach((a, i) => {
    if (a.cid) inline.set(a.cid.replace(/^<|>$/g, "").toLowerCase(), attachmentUrl(attachments[i]!.id));
  });
  const fromName = verdict.kind === "accept" ? clean(verdict.from.name) : null;
  return {
    messageId: messageIdsIn(mail.messageId)[0] ?? fallbackId,
    fromAddress: verdict.kind === "accept" ? clean(verdict.from.address) : clean(raws.sender?.address ?? "") || null,
    fromName: fromName || null,
    subject: truncate(clean(raws.subject).replace(/\s+/g, " ").trim(), MAX_SUBJECT),
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references: messageIdsIn(mail.references).reverse(),
    text: truncate(clean(textOf(raws.text, raws.html)), MAX_TEXT, "\n\n[… shortened; the whole mail is in the inbound mail log]"),
    html: raws.html?.trim() ? sanitizeMailHtml(clean(raws.html), inline) : null,
    attachments,
    verdict,
  };
}

type RawReadings = { sender: Sender | null; returnPaths: string[]; subject: string; text: string; html: string | null; charsets: string[] };

/**
 * What mailparser read, corrected from the raw bytes where it went wrong: the sender from the raw From
 * header (the display name of the address actually used), every Return-Path, and the subject, text and
 * HTML decoded again where mailparser left U+FFFD or a part's bytes do not fit its declared charset.
 */
function rawReadings(raw: Buffer, mail: ParsedMail): RawReadings {
  try {
    return readRaw(raw, mail);
  } catch {
    // Bytes this reading cannot follow: what mailparser made of them, rather than no mail at all.
    const from = mail.from?.value[0];
    return {
      sender: from?.address ? { address: from.address, name: from.name ?? "" } : null,
      returnPaths: [],
      subject: mail.subject ?? "",
      text: mail.text ?? "",
      html: typeof mail.html === "string" ? mail.html : null,
      charsets: [],
    };
  }
}

function readRaw(raw: Buffer, mail: ParsedMail): RawReadings {
  const { headers } = splitMessage(raw);
  const charsets = declaredCharsets(raw);
  const context = eightBitBytes(raw);
  const header = (value: string) => decodeHeaderValue(value, charsets, context);

  const mailbox = parseMailboxes(headerValues(headers, "from")[0] ?? "").find((m) => m.address !== "");
  const sender = mailbox
    ? { address: decodeBytes(Buffer.from(mailbox.address, "latin1"), ["utf-8"]).text.trim(), name: header(mailbox.name).text.replace(/\s+/g, " ").trim() }
    : null;

  let subject = mail.subject ?? "";
  const rawSubject = headerValues(headers, "subject")[0];
  if (rawSubject !== undefined) {
    const decoded = header(rawSubject);
    if (decoded.repaired || subject.includes(REPLACEMENT)) subject = decoded.text;
  }

  let text = mail.text ?? "";
  let html = typeof mail.html === "string" ? mail.html : null;
  const parts = textParts(raw).map((p) => ({ ...p, decoded: decodeBytes(p.bytes, [p.charset ?? "utf-8", ...charsets]) }));
  if (parts.some((p) => p.decoded.repaired) || text.includes(REPLACEMENT) || html?.includes(REPLACEMENT)) {
    const join = (type: string) => parts.filter((p) => p.type === type).map((p) => p.decoded.text);
    const plain = join("text/plain");
    const markup = join("text/html");
    if (plain.length > 0 || markup.length > 0) {
      text = plain.join("\n").replace(/\r\n?/g, "\n");
      html = markup.length > 0 ? markup.join("\n") : null;
    }
  }
  return { sender, returnPaths: headerValues(headers, "return-path"), subject, text, html, charsets };
}

const REPLACEMENT = "\ufffd";

/** The text part, or text made from the HTML when there is none (HTML inside multipart/related). */
function textOf(text: string, html: string | null): string {
  const trimmed = text.trim();
  if (trimmed || html === null) return trimmed;
  return textOfHtml(html);
}

function toAttachment(a: ParsedAttachment, index: number, raw: Buffer, charsets: string[]): MailAttachment {
  return {
    id: randomUUID(),
    filename: filenameOf(a, index, raw, charsets),
    contentType: clean(a.contentType || "application/octet-stream").toLowerCase().slice(0, 200),
    size: a.streamed ? a.size : a.content.length,
    sha256: a.checksum && /^[0-9a-f]{64}$/.test(a.checksum) ? a.checksum : createHash("sha256").update(a.content).digest("hex"),
    content: a.streamed ? null : a.content,
  };
}

/**
 * The attachment's file name: a raw 8-bit name (which mailparser reads as Latin-1) decoded with the
 * part's declared charset, then the mail's; an attached mail without a name is called after its subject
 * (`<subject>.eml`); any other part without a name is `attachment-N`.
 */
function filenameOf(a: ParsedAttachment, index: number, raw: Buffer, charsets: string[]): string {
  let name = a.filename ?? "";
  const bytes = Buffer.from(name, "latin1");
  const readAsLatin1 = /[\u0080-\u00ff]/.test(name) && [...name].every((c) => c.charCodeAt(0) <= 0xff) && raw.includes(bytes);
  if (readAsLatin1) {
    const type = a.headers.get("content-type");
    const declared = type && typeof type === "object" && "params" in type ? (type.params as Record<string, string>).charset : undefined;
    name = decodeBytes(bytes, [...(declared ? [declared] : []), "utf-8", ...charsets], raw).text;
  }
  if (!name.trim() && /^message\/(rfc822|global)$/i.test(a.contentType ?? "")) {
    const inner = splitMessage(a.content);
    const subject = headerValues(inner.headers, "subject")[0];
    const title = subject === undefined ? "" : decodeHeaderValue(subject, [...declaredCharsets(a.content), ...charsets], eightBitBytes(a.content)).text;
    return safeFilename(`${asFilename(title) || `attachment-${index + 1}`}.eml`, index);
  }
  return safeFilename(name, index);
}

/** A subject made fit for a file name: no path separators or characters Windows refuses, no leading dots. */
function asFilename(title: string): string {
  const name = clean(title)
    .split("")
    .filter((c) => c >= " " && c !== "\u007f")
    .join("")
    .replace(/[\\/:*?"<>|]+/g, "_")
    .replace(/\s+/g, " ")
    .replace(/^[._\s]+|[._\s]+$/g, "");
  return truncate(name, 200);
}

/** A file name without directories, control characters or NULs; a name-less part gets `attachment-N`. */
function safeFilename(name: string | undefined, index: number): string {
  const base = clean(name ?? "")
    .split("")
    .filter((c) => c >= " " && c !== "\u007f")
    .join("")
    .split(/[\\/]/)
    .pop()!
    .trim();
  return truncate(base && base !== "." && base !== ".." ? base : `attachment-${index + 1}`, 255);
}

/** The Message-IDs in a header value, each in angle brackets. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  const ids: string[] = [];
  for (const part of Array.isArray(value) ? value : [value]) {
    const bracketed = part.match(/<[^<>\s]+>/g);
    if (bracketed) ids.push(...bracketed);
    else ids.push(...part.split(/\s+/).filter((t) => t.includes("@")).map((t) => `<${t}>`));
  }
  return ids.map(clean).filter((id) => id.length > 2 && id.length <= 998);
}

const clean = (s: string) => s.replaceAll("\u0000", "");

/** At most `max` characters, never splitting a surrogate pair (an emoji stays whole or goes). */
function truncate(s: string, max: number, marker = ""): string {
  if (s.length <= max) return s;
  let cut = max - marker.length;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return s.slice(0, cut) + marker;
}
