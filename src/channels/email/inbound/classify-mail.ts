import type { AddressObject, HeaderValue, ParsedMail } from "mailparser";

/** What becomes of an inbound mail before any ticket is looked at. */
export type MailVerdict =
  | { kind: "accept"; from: { address: string; name: string } }
  /** Machine-generated (auto-reply, bounce, bulk, our own mail): recorded, never answered, no ticket. */
  | { kind: "ignore"; reason: string }
  /** Malformed: recorded with the raw message for an admin to look at and reprocess. */
  | { kind: "quarantine"; reason: string };

export type ClassifyOptions = {
  /** The SMTP envelope sender (MAIL FROM); "" is the null sender of bounces; undefined when unknown (IMAP). */
  envelopeFrom?: string | undefined;
  /** The mailboxes' own addresses, lower case: mail from one of them is a loop. */
  ownAddresses: ReadonlySet<string>;
};

const ADDRESS = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+$/;

/**
 * Sorts a parsed mail into accept, ignore (auto-replies and bounces, so they open no ticket and get no
 * reply: no mail loop) or quarantine (no usable sender). Machine mail is recognised by RFC 3834
 * Auto-Submitted, Precedence bulk/junk/list, X-Autoreply/X-Autorespond, a multipart/report (delivery or
 * read reports), a MAILER-DAEMON sender or an empty return path.
 */
export function classifyMail(mail: ParsedMail, opts: ClassifyOptions): MailVerdict {
  const machine = machineReason(mail, opts);
  if (machine) return { kind: "ignore", reason: machine };
  const from = firstAddress(mail.from);
  if (!from || from.address.length > 320 || !ADDRESS.test(from.address)) {
    return { kind: "quarantine", reason: "no usable From address" };
  }
  const address = from.address.toLowerCase();
  if (opts.ownAddresses.has(address)) return { kind: "ignore", reason: `mail loop: sent from our own mailbox address ${address}` };
  return { kind: "accept", from: { address, name: from.name } };
}

function machineReason(mail: ParsedMail, opts: ClassifyOptions): string | null {
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
  const from = firstAddress(mail.from);
  if (from && /^mailer-daemon@/i.test(from.address)) return "bounce (from MAILER-DAEMON)";
  if (opts.envelopeFrom === "") return "bounce (empty return path)";
  if (h.has("return-path") && isEmptyPath(h.get("return-path"))) return "bounce (empty return path)";
  return null;
}

/** The first address of an address header, groups included, or null. */
export function firstAddress(header: AddressObject | AddressObject[] | undefined): { address: string; name: string } | null {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const object of objects) {
    for (const entry of object.value) {
      const list = entry.group ?? [entry];
      for (const one of list) {
        if (one.address) return { address: one.address.trim(), name: (one.name ?? "").trim() };
      }
    }
  }
  return null;
}

function textOf(value: HeaderValue | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === "string" ? v : "")).join(" ");
  if ("text" in value && typeof value.text === "string") return value.text;
  if ("value" in value && typeof value.value === "string") return value.value;
  return "";
}

function isEmptyPath(value: HeaderValue | undefined): boolean {
  if (typeof value === "string") return value.replace(/[<>\s]/g, "") === "";
  if (value && typeof value === "object" && "value" in value && Array.isArray(value.value)) {
    return (value as AddressObject).value.every((a) => !a.address && !(a.group && a.group.length > 0));
  }
  return false;
}
