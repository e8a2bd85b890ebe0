import { and, eq, inArray, sql } from "drizzle-orm";
import { findOrAddCustomer } from "./support/customers.js";
import { attachments, emailThreads, inboundMail, mailboxes, tickets, type InboundMailStatus } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Db, Tx } from "../db/store.js";
import { AppError } from "../domain/errors.js";
import type { CustomerPrincipal } from "../domain/principal.js";
import { readMail, type MailAttachment, type ReadMail } from "../channels/email/inbound/read-mail.js";
import { addMessageInTx } from "./add-message.js";
import type { CommandContext } from "./context.js";
import { createTicketInTx } from "./create-ticket.js";
import { hasActiveAutomation } from "../sla/automation-cache.js";
import { blobStoreOf } from "../blobs/blob-store.js";

/** How a mail arrived: over the SMTP listener (with its envelope sender) or fetched from an IMAP folder. */
export type MailSource = { kind: "smtp"; envelopeFrom?: string | undefined } | { kind: "imap"; uid: number; uidValidity: number };

export type IngestEmailInput = {
  raw: Buffer;
  /** Where `raw` is in the blob store already (the SMTP listener streams it there as it arrives). */
  rawBlob?: { sha256: string; size: number } | undefined;
  /** The mailbox it was addressed to (its team takes new tickets); null: the default intake. */
  mailbox: { id: string; teamId: string | null } | null;
  source: MailSource;
  maxAttachmentBytes: number;
};

export type IngestOutcome = {
  /** What became of it; `duplicate`: this mailbox had taken the same Message-ID before, nothing was written. */
  status: InboundMailStatus | "duplicate";
  inboundMailId: string;
  ticketId: string | null;
  messageRowId: string | null;
  reason: string | null;
};

type Deps = Pick<CommandContext, "db" | "clock">;
type Filed = { status: InboundMailStatus; reason: string | null; ticketId: string | null; messageRowId: string | null };

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const TICKET_TOKEN = /\[#(\d{1,15})\]/;

/**
 * Takes in one mail, in one transaction: records it in `inbound_mail` (raw bytes kept in the blob store) and files it —
 * a reply on its ticket, a new ticket (finding or creating the customer), ignored (auto-replies, bounces;
 * no ticket and so no mail back) or quarantined (malformed). Attachments, the thread entry and, for IMAP,
 * the mailbox's last UID are written in the same transaction, so a crash leaves either all or nothing.
 * Taking the same Message-ID again for the same mailbox writes nothing (`duplicate`).
 *
 * A reply is matched by In-Reply-To, then References (against `email_threads`), then a `[#123]` token in
 * the subject, and lands on that ticket only when the sender is its customer and it is not closed;
 * otherwise the mail opens a new ticket and the record's reason says which ticket it referred to — a
 * stranger's mail never lands on someone else's ticket. A mail that cannot be filed for a reason the
 * catalogue knows (e.g. no intake team yet) is quarantined for reprocessing; other failures throw, and
 * nothing is written (the SMTP listener answers 451, the poller tries again).
 */
export async function ingestEmail(deps: Deps, input: IngestEmailInput): Promise<IngestOutcome> {
  const mail = await readMail(input.raw, {
    envelopeFrom: input.source.kind === "smtp" ? input.source.envelopeFrom : undefined,
    ownAddresses: await mailboxAddresses(deps.db),
    maxAttachmentBytes: input.maxAttachmentBytes,
    // Each file streams into the blob store as it is decoded (never whole in memory); a mail that is then
    // ignored or quarantined leaves them unreferenced, as a rolled-back one does.
    storeAttachment: (content) => blobStoreOf(deps.db).put(content),
  });
  // The bytes go to the blob store before the transaction (the rows keep their hashes). A mail that then
  // rolls back leaves unreferenced blobs, which cost space but never wrong data.
  const rawBlob = input.rawBlob ?? (await blobStoreOf(deps.db).put(input.raw));
  await putAttachmentBlobs(deps.db, mail);
  // Asked before the transaction (and cached): inside it, the embedded store's one session is taken.
  const automation = await hasActiveAutomation(deps.db);
  const take = (m: ReadMail) =>
    deps.db.transaction(async (tx) => {
      const filed = await decide(tx, deps, m, { teamId: input.mailbox?.teamId ?? null, hasActiveAutomation: automation });
      // Recorded last, with its outcome: when this mailbox already has the Message-ID (also when a
      // concurrent delivery of it commits first: the insert waits for it), everything above rolls back.
      const id = await record(tx, deps.clock.now(), input, rawBlob, m, filed);
      if (!id) throw new AlreadyTaken();
      if (input.source.kind === "imap" && input.mailbox) await advanceMailbox(tx, input.mailbox.id, input.source);
      return { inboundMailId: id, ...filed };
    });
  try {
    try {
      return await take(mail);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return await take({ ...mail, verdict: { kind: "quarantine", reason: `could not be filed: ${err.message}` } });
    }
  } catch (err) {
    if (err instanceof AlreadyTaken) return duplicateOf(deps.db, input, mail.messageId);
    throw err;
  }
}

/** Thrown inside the ingest transaction to roll it back: the mailbox had taken this mail before. */
class AlreadyTaken extends Error {}

/**
 * Files a mail already recorded in `inbound_mail` (its row locked by the caller's transaction) and writes
 * the outcome onto that row: reprocessing a quarantined mail.
 */
export async function fileMail(tx: Tx, deps: Deps, inboundMailId: string, mail: ReadMail, teamId: string | null): Promise<Filed> {
  const filed = await decide(tx, deps, mail, { teamId });
  await tx
    .update(inboundMail)
    .set({ status: filed.status, reason: filed.reason, ticketId: filed.ticketId, messageRowId: filed.messageRowId, fromAddress: mail.fromAddress, subject: mail.subject })
    .where(eq(inboundMail.id, inboundMailId));
  return filed;
}

type Landing = { teamId: string | null; hasActiveAutomation?: boolean };

async function decide(tx: Tx, deps: Deps, mail: ReadMail, landing: Landing): Promise<Filed> {
  const none = { ticketId: null, messageRowId: null };
  if (mail.verdict.kind === "ignore") return { status: "ignored", reason: mail.verdict.reason, ...none };
  if (mail.verdict.kind === "quarantine") return { status: "quarantined", reason: mail.verdict.reason, ...none };
  const from = mail.verdict.from;

  // One round trip: is the Message-ID already on a ticket (the same mail through another mailbox, or a copy
  // of Tierline's own outgoing mail), and is the sender a customer, or one of the staff?
  const [facts] = await queryRows<{ knownTicketId: string | null; knownNumber: string | null; senderId: string | null; isStaff: boolean }>(
    tx,
    sql`select k.ticket_id as "knownTicketId", k.number::text as "knownNumber",
               (select id from customers where lower(email) = ${from.address} and not unverified) as "senderId",
               exists (select 1 from agents where lower(email) = ${from.address}) as "isStaff"
        from (select 1) as one
        left join (select et.ticket_id, t.number from email_threads et join tickets t on t.id = et.ticket_id where et.message_id = ${mail.messageId}) k on true`,
  );
  if (facts!.knownTicketId) {
    return { status: "ignored", reason: `its Message-ID already belongs to ticket #${facts!.knownNumber}`, ticketId: facts!.knownTicketId, messageRowId: null };
  }
  // Staff do not answer by mail (yet): their mail would make them a customer. It waits for a person instead.
  if (facts!.isStaff) return { status: "quarantined", reason: `sent by a staff member (${from.address}); staff reply in Tierline, not by mail`, ...none };
  const sender = facts!.senderId ? { id: facts!.senderId } : undefined;
  const thread = await findThread(tx, mail);
  let reason: string | null = null;
  if (thread) {
    const { ticket, via } = thread;
    if (sender && ticket.customerId === sender.id && ticket.status !== "closed") {
      const message = await addMessageInTx({ ...deps, actor: customer(sender.id) }, tx, ticket.id, { body: mail.text || "(no text)", bodyHtml: mail.html });
      await storeAttachments(tx, ticket.id, message.id, mail.attachments);
      await addToThread(tx, mail.messageId, ticket.id, deps.clock.now());
      return { status: "reply", reason: `reply to #${ticket.number} (${via})`, ticketId: ticket.id, messageRowId: message.id };
    }
    reason =
      sender && ticket.customerId === sender.id
        ? `follow-up to closed ticket #${ticket.number} (${via})`
        : `refers to ticket #${ticket.number} (${via}), but the sender is not its customer: opened a new ticket`;
  }
  const customerId = sender?.id ?? (await insertCustomer(tx, from, deps.clock.now()));
  const ticket = await createTicketInTx(
    { ...deps, actor: customer(customerId) },
    tx,
    { subject: mail.subject || "(no subject)", description: mail.text || "(no text)", channel: "email", priority: "normal", tags: [] },
    // The first mail keeps its sanitised HTML too, as replies do (`bodyHtml`).
    { ...landing, descriptionHtml: mail.html },
  );
  await storeAttachments(tx, ticket.id, null, mail.attachments);
  await addToThread(tx, mail.messageId, ticket.id, deps.clock.now());
  return { status: "ticket", reason, ticketId: ticket.id, messageRowId: null };
}

const customer = (id: string): CustomerPrincipal => ({ kind: "customer", id });

type ThreadTicket = { id: string; number: number; customerId: string; status: string };

/** The ticket a mail answers: by In-Reply-To, then References (nearest first), then a `[#123]` subject token. */
async function findThread(tx: Tx, mail: ReadMail): Promise<{ ticket: ThreadTicket; via: string } | null> {
  const columns = { id: tickets.id, number: tickets.number, customerId: tickets.customerId, status: tickets.status };
  const ids = [...mail.inReplyTo, ...mail.references];
  if (ids.length > 0) {
    // Also without angle brackets, in case a sender's thread entry was stored bare.
    const variants = [...new Set(ids.flatMap((id) => [id, id.slice(1, -1)]))];
    const rows = await tx
      .select({ messageId: emailThreads.messageId, ...columns })
      .from(emailThreads)
      .innerJoin(tickets, eq(tickets.id, emailThreads.ticketId))
      .where(inArray(emailThreads.messageId, variants));
    for (const [list, via] of [
      [mail.inReplyTo, "In-Reply-To"],
      [mail.references, "References"],
    ] as const) {
      for (const id of list) {
        const row = rows.find((r) => r.messageId === id || r.messageId === id.slice(1, -1));
        if (row) return { ticket: row, via };
      }
    }
  }
  const token = TICKET_TOKEN.exec(mail.subject);
  if (token && Number.isSafeInteger(Number(token[1]))) {
    const [row] = await tx.select(columns).from(tickets).where(eq(tickets.number, Number(token[1])));
    if (row) return { ticket: row, via: "subject token" };
  }
  return null;
}

/** Finds or creates the customer of an address; the display name (or the address's local part) names a new one. */
async function insertCustomer(tx: Tx, from: { address: string; name: string }, now: Date): Promise<string> {
  const name = (from.name.replace(/\s+/g, " ").trim() || from.address.split("@")[0]!).slice(0, 200);
  return (await findOrAddCustomer(tx, from.address, name, now)).id;
}

/**
 * Puts the files of a mail that will be filed into the blob store (before its transaction), and makes each
 * one's hash and size those of the bytes stored.
 */
export async function putAttachmentBlobs(db: Db, mail: ReadMail): Promise<void> {
  if (mail.verdict.kind !== "accept") return;
  const blobs = blobStoreOf(db);
  for (const a of mail.attachments) if (a.content) Object.assign(a, await blobs.put(a.content));
}

/** The files' rows (their bytes are in the blob store), numbered on from the ticket's last file in the mail's order. */
async function storeAttachments(tx: Tx, ticketId: string, messageId: string | null, list: MailAttachment[]): Promise<void> {
  if (list.length === 0) return;
  const [last] = await queryRows<{ position: number }>(tx, sql`select coalesce(max(position), -1)::int as position from attachments where ticket_id = ${ticketId}`);
  await tx.insert(attachments).values(
    list.map((a, i) => ({ id: a.id, ticketId, messageId, filename: a.filename, contentType: a.contentType, size: a.size, sha256: a.sha256, position: last!.position + 1 + i })),
  );
}

async function addToThread(tx: Tx, messageId: string, ticketId: string, now: Date): Promise<void> {
  await tx.insert(emailThreads).values({ messageId, ticketId, createdAt: now }).onConflictDoNothing();
}

/** Records the mail and its outcome; null when this mailbox already has its Message-ID (the unique index decides). */
async function record(tx: Tx, now: Date, input: IngestEmailInput, rawBlob: { sha256: string; size: number }, mail: ReadMail, filed: Filed): Promise<string | null> {
  const [row] = await tx
    .insert(inboundMail)
    .values({
      mailboxId: input.mailbox?.id ?? null,
      source: input.source.kind,
      messageId: mail.messageId,
      fromAddress: mail.fromAddress,
      subject: mail.subject,
      ...filed,
      rawSha256: rawBlob.sha256,
      rawSize: rawBlob.size,
      receivedAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: inboundMail.id });
  return row?.id ?? null;
}

/** The earlier record of a mail taken again; an IMAP mailbox still moves past its UID. */
async function duplicateOf(db: Db, input: IngestEmailInput, messageId: string): Promise<IngestOutcome> {
  const mailboxId = input.mailbox?.id ?? null;
  return db.transaction(async (tx) => {
    if (input.source.kind === "imap" && mailboxId) await advanceMailbox(tx, mailboxId, input.source);
    const [row] = await tx
      .select({ id: inboundMail.id, ticketId: inboundMail.ticketId, messageRowId: inboundMail.messageRowId })
      .from(inboundMail)
      .where(and(sql`coalesce(${inboundMail.mailboxId}, ${ZERO_UUID}::uuid) = ${mailboxId ?? ZERO_UUID}::uuid`, eq(inboundMail.messageId, messageId)));
    return { status: "duplicate", inboundMailId: row!.id, ticketId: row!.ticketId, messageRowId: row!.messageRowId, reason: "taken in before" };
  });
}

/** Moves an IMAP mailbox's resume point past this UID, in the transaction that filed the mail. */
async function advanceMailbox(tx: Tx, mailboxId: string, source: { uid: number; uidValidity: number }): Promise<void> {
  await tx
    .update(mailboxes)
    .set({ lastUid: sql`greatest(${mailboxes.lastUid}, ${source.uid})`, uidValidity: source.uidValidity })
    .where(eq(mailboxes.id, mailboxId));
}

/**
 * Every mailbox address, lower case: mail from one of them is Tierline's own. Remembered for a few seconds
 * per store (it is read for every mail); a mailbox changed through this process is seen at once, one
 * changed through another instance within ADDRESSES_MAX_AGE_MS.
 */
async function mailboxAddresses(db: Db, nowMs = Date.now()): Promise<ReadonlySet<string>> {
  const hit = addressCache.get(db);
  if (hit && nowMs - hit.readAt < ADDRESSES_MAX_AGE_MS) return hit.addresses;
  const rows = await db.select({ address: mailboxes.address }).from(mailboxes);
  const addresses = new Set(rows.map((r) => r.address.toLowerCase()));
  addressCache.set(db, { addresses, readAt: nowMs });
  return addresses;
}

const ADDRESSES_MAX_AGE_MS = 5_000;
const addressCache = new WeakMap<Db, { addresses: ReadonlySet<string>; readAt: number }>();

/** Forgets the remembered mailbox addresses (after a mailbox is created, changed or deleted). */
export function forgetMailboxAddresses(db: Db): void {
  addressCache.delete(db);
}
