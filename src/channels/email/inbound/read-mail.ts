import { createHash, randomUUID } from "node:crypto";
import { simpleParser, type Attachment, type ParsedMail } from "mailparser";
import { classifyMail, type MailVerdict } from "./classify-mail.js";
import { sanitizeMailHtml, textOfHtml } from "./sanitize-mail-html.js";

/** A file that came with a mail, ready to store; the id is chosen here so the HTML can link to it. */
export type MailAttachment = { id: string; filename: string; contentType: string; size: number; sha256: string; content: Buffer };

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
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, checksumAlgo: "sha256" });
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
  let verdict = classifyMail(mail, opts);
  const attachments = mail.attachments.map(toAttachment);
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
    fromAddress: verdict.kind === "accept" ? clean(verdict.from.address) : clean(mail.from?.value[0]?.address ?? "") || null,
    fromName: fromName || null,
    subject: truncate(clean(mail.subject ?? "").replace(/\s+/g, " ").trim(), MAX_SUBJECT),
    inReplyTo: messageIdsIn(mail.inReplyTo),
    references: messageIdsIn(mail.references).reverse(),
    text: truncate(clean(textOf(mail)), MAX_TEXT, "\n\n[… shortened; the whole mail is in the inbound mail log]"),
    html: typeof mail.html === "string" && mail.html.trim() ? sanitizeMailHtml(clean(mail.html), inline) : null,
    attachments,
    verdict,
  };
}

/** The text part, or text made from the HTML when mailparser made none (HTML inside multipart/related). */
function textOf(mail: ParsedMail): string {
  const text = (mail.text ?? "").trim();
  if (text || typeof mail.html !== "string") return text;
  return textOfHtml(mail.html);
}

function toAttachment(a: Attachment, index: number): MailAttachment {
  return {
    id: randomUUID(),
    filename: safeFilename(a.filename, index),
    contentType: clean(a.contentType || "application/octet-stream").toLowerCase().slice(0, 200),
    size: a.content.length,
    sha256: a.checksum && /^[0-9a-f]{64}$/.test(a.checksum) ? a.checksum : createHash("sha256").update(a.content).digest("hex"),
    content: a.content,
  };
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
