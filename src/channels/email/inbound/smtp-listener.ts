import type { AddressInfo } from "node:net";
import { and, eq, inArray, sql } from "drizzle-orm";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerError, type SMTPServerSession } from "smtp-server";
import { mailboxes } from "../../../db/schema.js";
import type { Db } from "../../../db/store.js";
import type { Clock } from "../../../domain/clock.js";
import { ingestEmail } from "../../../commands/ingest-email.js";
import { blobStoreOf, readBlob } from "../../../blobs/blob-store.js";
import { causeMessage } from "./error-message.js";

export type SmtpListenerOptions = {
  db: Db;
  clock: Clock;
  host: string;
  /** 0 picks a free port (tests, benchmarks). */
  port: number;
  /** Largest mail accepted, in bytes (advertised as SIZE; larger mail gets 552). */
  maxBytes: number;
  maxAttachmentBytes: number;
  /** PEM key and certificate: STARTTLS is offered only with these. */
  tls?: { key: Buffer; cert: Buffer } | undefined;
  log: { error: (obj: object, msg: string) => void };
  /** How long close() waits for open connections before cutting them. */
  closeTimeoutMs?: number;
};

export type SmtpListener = { host: string; port: number; close(): Promise<void> };

const smtpError = (code: number, message: string): SMTPServerError => Object.assign(new Error(message), { responseCode: code });

/**
 * The built-in SMTP listener for inbound mail. It takes mail only for the addresses of active mailboxes
 * (any other recipient gets 550), so it relays nothing; it has no authentication, so it belongs behind
 * the organisation's MTA (or a firewall), not open on the internet. A mail is acknowledged (250) only
 * once its ingest transaction has committed, so an acknowledged mail is never lost; when the ingest fails
 * the answer is 451 and the sending MTA tries again later.
 *
 * Like an MTA at final delivery, the listener prepends `Return-Path: <envelope sender>` to the stored
 * message, so a bounce (null sender) is still recognised when a quarantined mail is reprocessed.
 */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const server = new SMTPServer({
    banner: "Tierline inbound mail",
    size: opts.maxBytes,
    authOptional: true,
    disabledCommands: opts.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    disableReverseLookup: true,
    logger: false,
    closeTimeout: opts.closeTimeoutMs ?? 5_000,
    onRcptTo(address, session, callback) {
      activeMailboxes(opts.db, [address.address])
        .then(([mailbox]) => {
          if (!mailbox) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
          // The first accepted recipient's mailbox files the mail (its team takes a new ticket); once.
          if (!mailboxOf.has(session.envelope)) mailboxOf.set(session.envelope, mailbox);
          callback();
        })
        .catch((err: Error) => {
          opts.log.error({ error: causeMessage(err) }, "SMTP listener: looking up a recipient failed");
          callback(smtpError(451, "4.3.0 Temporary failure, please try again later"));
        });
    },
    onData(stream, session, callback) {
      receive(opts.db, stream, returnPath(session))
        .then(async (received) => {
          if (!received) return callback(smtpError(552, `5.3.4 Message exceeds the maximum size of ${opts.maxBytes} bytes`));
          const outcome = await deliver(opts, session, received);
          callback(null, `2.0.0 Accepted as ${outcome.inboundMailId} (${outcome.status})`);
        })
        .catch((err: Error) => {
          opts.log.error({ error: causeMessage(err) }, "SMTP listener: taking in a mail failed; the sender was told to retry");
          callback(smtpError(451, "4.3.0 Temporary failure, please try again later"));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Errors of single connections (a client resetting) are the client's problem; they must not crash us.
  server.on("error", (err: Error) => opts.log.error({ error: err.message }, "SMTP listener error"));
  const address = server.server.address() as AddressInfo;
  return {
    host: opts.host,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type MailboxRef = { id: string; teamId: string | null };
/** The mailbox of each mail transaction (smtp-server makes a new envelope per transaction). */
const mailboxOf = new WeakMap<object, MailboxRef>();

const envelopeFromOf = (session: SMTPServerSession) => (session.envelope.mailFrom ? session.envelope.mailFrom.address : "");
const returnPath = (session: SMTPServerSession) => Buffer.from(`Return-Path: <${envelopeFromOf(session).replace(/[\r\n<>]/g, "")}>\r\n`);

/** Files a received mail (its Return-Path already prepended), already in the blob store. */
async function deliver(opts: SmtpListenerOptions, session: SMTPServerSession, received: Received) {
  const mailbox = mailboxOf.get(session.envelope) ?? null;
  const envelopeFrom = envelopeFromOf(session);
  return ingestEmail(opts, {
    raw: received.raw,
    rawBlob: received.blob,
    mailbox,
    source: { kind: "smtp", envelopeFrom },
    maxAttachmentBytes: opts.maxAttachmentBytes,
  });
}

type Received = { raw: Buffer; blob: { sha256: string; size: number } };

/** Thrown into a blob put to drop what was written of a mail over the size limit. */
class SizeExceeded extends Error {}

/**
 * Streams the message (after `head`) into the blob store as it arrives, with backpressure, so the socket's
 * chunks are never all held at once; then reads it back as the one buffer the parser needs (allocated
 * once, at its size). Null for a mail over the size limit: the rest is drained and nothing is kept.
 */
async function receive(db: Db, stream: SMTPServerDataStream, head: Buffer): Promise<Received | null> {
  const blobs = blobStoreOf(db);
  async function* bytes() {
    yield head;
    for await (const chunk of stream) if (!stream.sizeExceeded) yield chunk as Buffer;
    if (stream.sizeExceeded) throw new SizeExceeded();
  }
  try {
    const blob = await blobs.put(bytes());
    return { raw: await readBlob(blobs, blob.sha256, blob.size), blob };
  } catch (err) {
    if (err instanceof SizeExceeded) return null;
    throw err;
  }
}

function activeMailboxes(db: Db, addresses: string[]): Promise<MailboxRef[]> {
  const wanted = addresses.map((a) => a.toLowerCase());
  return db
    .select({ id: mailboxes.id, teamId: mailboxes.teamId })
    .from(mailboxes)
    .where(and(eq(mailboxes.active, true), inArray(sql`lower(${mailboxes.address})`, wanted)));
}
