import nodemailer from "nodemailer";
import { z } from "zod";
import type { Config } from "../../../config.js";
import type { Delivery } from "../../../db/schema.js";
import { PermanentDeliveryError, type DeliverySender } from "../../../outbox/types.js";

/** Sends email deliveries; `close()` ends its pooled SMTP connections (at shutdown). */
export type EmailSender = DeliverySender & { close(): void };

/** The email delivery payload as the planner writes it (see plan-email.ts). */
const EmailPayloadSchema = z.object({
  to: z.object({ name: z.string(), address: z.string().min(3) }),
  from: z.string().min(3),
  replyTo: z.string().nullish(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  messageId: z.string().regex(/^<[^<>\s]+@[^<>\s]+>$/),
  inReplyTo: z.string().nullish(),
  references: z.array(z.string()).default([]),
  headers: z.record(z.string(), z.string()).default({}),
});

/** What nodemailer attaches to its errors (see its NodemailerError). */
type SmtpError = Error & { code?: string; command?: string; response?: string; responseCode?: number; permanent?: boolean };

/** The SMTP URL with its password hidden, for logs: `smtp://user:***@host:587`. */
export function redactSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(an unparsable SMTP URL)";
  }
}

/**
 * The sender of email deliveries over SMTP (`TIERLINE_SMTP_URL`), or undefined when no server is
 * configured: email deliveries then stay pending until one is. A delivery the server refuses for good
 * (a 5xx reply to the envelope or the message, e.g. 550 no such user) throws PermanentDeliveryError; a
 * temporary refusal (4xx), a dropped connection, a timeout or failed authentication throws a plain error,
 * to be retried — the last two are about the server or its configuration, not the message. Error messages
 * never contain the URL's password.
 */
export function createEmailSender(config: Pick<Config, "smtpUrl">): EmailSender | undefined {
  if (!config.smtpUrl) return undefined;
  const secrets = secretsOf(config.smtpUrl);
  const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join("***"), text);
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    // Rendered templates are the whole message: no file or URL is ever read into it.
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  const send = async (delivery: Delivery): Promise<void> => {
    const parsed = EmailPayloadSchema.safeParse(delivery.payload);
    if (!parsed.success) throw new PermanentDeliveryError(`Delivery ${delivery.id} is not an email: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
    const mail = parsed.data;
    try {
      await transport.sendMail({
        from: mail.from,
        to: { name: mail.to.name, address: mail.to.address },
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references.length > 0 ? { references: mail.references } : {}),
        headers: mail.headers,
      });
    } catch (err) {
      throw classify(err as SmtpError, redact);
    }
  };
  return Object.assign(send, { close: () => transport.close() });
}

/** The password of an SMTP URL as written and decoded: the strings to hide from error messages. */
function secretsOf(smtpUrl: string): string[] {
  try {
    const password = new URL(smtpUrl).password;
    if (!password) return [];
    return [...new Set([password, decodeURIComponent(password)])].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

/** RFC 5321: a 5yz reply is a permanent refusal, except 503 (bad sequence: the session, not the message). */
const isPermanentReply = (code: number) => code >= 500 && code < 600 && code !== 503;

function classify(err: SmtpError, redact: (text: string) => string): Error {
  const reply = err.responseCode;
  const what = [reply ? `SMTP ${reply}` : err.code, err.command].filter(Boolean).join(" ");
  const message = redact(`${what ? `${what}: ` : ""}${err.response ?? err.message}`);
  // Refusals of this message or its recipient. Authentication and connection failures are the server's
  // or the configuration's, and every message would meet them: those are retried.
  const aboutTheMessage = err.code === "EENVELOPE" || err.code === "EMESSAGE";
  if (aboutTheMessage && reply !== undefined && (err.permanent ?? isPermanentReply(reply))) return new PermanentDeliveryError(message);
  // An envelope refused before any server reply (no valid recipient address) can never be sent either.
  if (err.code === "EENVELOPE" && reply === undefined) return new PermanentDeliveryError(message);
  return new Error(message);
}
