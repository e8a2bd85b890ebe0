import type { HeaderValue, ParsedMail } from "mailparser";

/** What becomes of an inbound mail before any ticket is looked at. */
export type MailVerdict =
  | { kind: "accept"; from: { address: string; name: string } }
  /** Machine-generated (auto-reply, bounce, bulk, our own mail): recorded, never answered, no ticket. */
  | { kind: "ignore"; reason: string }
  /** Malformed: recorded with the raw message for an admin to look at and reprocess. */
  | { kind: "quarantine"; reason: string };

/** The sender as read from the raw From header (see from-address.ts): the first mailbox with an address. */
export type Sender = { address: string; name: string };

export type ClassifyOptions = {
  /** The SMTP envelope sender (MAIL FROM); "" is the null sender of bounces; undefined when unknown (IMAP). */
  envelopeFrom?: string | undefined;
  /** The mailboxes' own addresses, lower case: mail from one of them is a loop. */
  ownAddresses: ReadonlySet<string>;
  /** Every Return-Path header of the mail, raw: the SMTP listener prepends its own to mail that may carry one already. */
  returnPaths?: readonly string[];
};

const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+$/;

/**
 * Sorts a parsed mail into accept, ignore (auto-replies and bounces, so they open no ticket and get no
 * reply: no mail loop) or quarantine (no usable sender, or a From address that is no valid mailbox: no
 * customer is made up for it). Machine mail is recognised by RFC 3834 Auto-Submitted, Precedence
 * bulk/junk/list, X-Autoreply/X-Autorespond, a multipart/report (delivery or read reports), a
 * MAILER-DAEMON sender or an empty return path.
 */
export function classifyMail(mail: ParsedMail, sender: Sender | null, opts: ClassifyOptions): MailVerdict {
  const machine = machineReason(mail, sender, opts);
  if (machine) return { kind: "ignore", reason: machine };
  if (!sender) return { kind: "quarantine", reason: "no usable From address" };
  if (sender.address.length > 320 || !ADDRESS.test(sender.address)) {
    return { kind: "quarantine", reason: `the From address ${JSON.stringify(sender.address.slice(0, 320))} is not a valid mailbox` };
  }
  const address = sender.address.toLowerCase();
  if (opts.ownAddresses.has(address)) return { kind: "ignore", reason: `mail loop: sent from our own mailbox address ${address}` };
  return { kind: "accept", from: { address, name: sender.name } };
}

function machineReason(mail: ParsedMail, sender: Sender | null, opts: ClassifyOptions): string | null {
  const h = mail.headers;
  const autoSubmitted = textOf(h.get("auto-submitted"));
  if (autoSubmitted !== null) {
    const value = autoSubmitted.split(";")[0]!.trim().toLowerCase();
    if (value !== "no") return `auto-reply (Auto-Submitted: ${value || "empty"})`;
  }
  const precedence = textOf(h.get("precedence"))?.trim().toLowerCase();
  if (precedence === "bulk" || precedence === "junk" || precedence === "list") return `bulk mail (Precedence: ${precedence})`;
  for (const name of ["x-autoreply", "x-autorespond"]) {
    if (h.has(name)) return `auto-reply (${name === "x-autoreply" ? "X-Autoreply" : "X-Autorespond"})`;
  }
  const contentType = h.get("content-type");
  if (contentType && typeof contentType === "object" && "value" in contentType && String(contentType.value).toLowerCase() === "multipart/report") {
    const params = (contentType as { params?: Record<string, string> }).params ?? {};
    return `delivery report (multipart/report; report-type=${params["report-type"] ?? "unknown"})`;
  }
  if (sender && /^mailer-daemon@/i.test(sender.address)) return "bounce (from MAILER-DAEMON)";
  if (opts.envelopeFrom === "") return "bounce (empty return path)";
  // With two Return-Path headers (the listener's own on top of one the mail carried), a null path in
  // any of them marks a bounce: a bounce must never open a ticket, and a mail that says it has no
  // return path cannot be answered either.
  if ((opts.returnPaths ?? []).some(isNullPath)) return "bounce (empty return path)";
  return null;
}

/** `<>`, also with white space or a comment inside, or an empty value. */
const isNullPath = (value: string) => value.replace(/\([^)]*\)/g, "").replace(/[<>\s]/g, "") === "";

function textOf(value: HeaderValue | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : "")).join(" ");
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("value" in value && typeof value.value === "string") return value.value;
  return "";
}
