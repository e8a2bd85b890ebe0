import { z } from "zod";
import { Email, IsoDateTime, Name, PageQuery, Uuid } from "./common.js";

const INBOUND_STATUSES = ["ticket", "reply", "ignored", "quarantined"] as const;

const imapFields = {
  /** The IMAP server to poll; null: the mailbox takes mail only through the SMTP listener. */
  imapHost: z.string().trim().min(1).max(255).regex(/^[^\s/]+$/, "a host name or address").nullable(),
  /** Default 993 with TLS, 143 without. */
  imapPort: z.number().int().min(1).max(65535).nullable(),
  /** TLS from the first byte (IMAPS); false: plain, upgraded with STARTTLS when the server offers it. */
  imapSecure: z.boolean(),
  imapUser: z.string().min(1).max(320).nullable(),
  /** Write-only: stored to log in, never returned. */
  imapPassword: z.string().min(1).max(1000).nullable(),
  imapFolder: z.string().trim().min(1).max(255),
  /** How often the folder is polled. */
  pollSeconds: z.number().int().min(5).max(86_400),
};

export const CreateMailboxBody = z
  .object({
    name: Name,
    /** The address customers write to; the SMTP listener takes mail for it. */
    address: Email,
    /** The team new tickets from this mailbox land on; null: the default intake (the first frontline team). */
    teamId: Uuid.nullable().default(null),
    imapHost: imapFields.imapHost.default(null),
    imapPort: imapFields.imapPort.default(null),
    imapSecure: imapFields.imapSecure.default(true),
    imapUser: imapFields.imapUser.default(null),
    imapPassword: imapFields.imapPassword.default(null),
    imapFolder: imapFields.imapFolder.default("INBOX"),
    pollSeconds: imapFields.pollSeconds.default(60),
    active: z.boolean().default(true),
  })
  .refine((b) => b.imapHost === null || (b.imapUser !== null && b.imapPassword !== null), {
    message: "an IMAP mailbox needs imapUser and imapPassword",
    path: ["imapUser"],
  });

export const UpdateMailboxBody = z
  .object({ name: Name, address: Email, teamId: Uuid.nullable(), ...imapFields, active: z.boolean() })
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const MailboxDto = z
  .object({
    id: Uuid,
    name: z.string(),
    address: z.string(),
    teamId: Uuid.nullable(),
    imapHost: z.string().nullable(),
    imapPort: z.number().int().nullable(),
    imapSecure: z.boolean(),
    imapUser: z.string().nullable(),
    /** Whether a password is stored (the password itself is never returned). */
    hasImapPassword: z.boolean(),
    imapFolder: z.string(),
    pollSeconds: z.number().int(),
    /** The folder's UIDVALIDITY and the last UID taken in: where the next poll resumes. */
    uidValidity: z.number().int().nullable(),
    lastUid: z.number().int(),
    active: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Mailbox" });

export const PollResultDto = z
  .object({
    mailboxId: Uuid,
    /** Messages fetched from the folder in this poll. */
    fetched: z.number().int(),
    filed: z.object({
      ticket: z.number().int(),
      reply: z.number().int(),
      ignored: z.number().int(),
      quarantined: z.number().int(),
      duplicate: z.number().int(),
    }),
    uidValidity: z.number().int(),
    lastUid: z.number().int(),
  })
  .meta({ id: "MailboxPollResult" });

export const InboundMailQuery = PageQuery.extend({
  status: z.enum(INBOUND_STATUSES).optional(),
  mailboxId: Uuid.optional(),
});

export const InboundMailDto = z
  .object({
    id: Uuid,
    mailboxId: Uuid.nullable(),
    source: z.enum(["smtp", "imap"]),
    messageId: z.string().nullable(),
    fromAddress: z.string().nullable(),
    subject: z.string().nullable(),
    status: z.enum(INBOUND_STATUSES),
    /** Why it was ignored or quarantined, or which ticket a reply-like mail pointed at. */
    reason: z.string().nullable(),
    ticketId: Uuid.nullable(),
    messageRowId: Uuid.nullable(),
    /** Size of the raw message in bytes (download it from …/raw). */
    size: z.number().int(),
    receivedAt: IsoDateTime,
  })
  .meta({ id: "InboundMail" });

export const AttachmentDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    /** The message it came with; null: the mail that opened the ticket. */
    messageId: Uuid.nullable(),
    filename: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    /** Where to download it. */
    url: z.string(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Attachment" });

export type CreateMailboxInput = z.infer<typeof CreateMailboxBody>;
export type UpdateMailboxInput = z.infer<typeof UpdateMailboxBody>;
export type InboundMailListInput = z.infer<typeof InboundMailQuery>;
