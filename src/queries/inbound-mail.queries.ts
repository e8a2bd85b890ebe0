import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Readable } from "node:stream";
import { blobStoreOf } from "../blobs/blob-store.js";
import type { CommandContext } from "../commands/context.js";
import { inboundMail, type InboundMail } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeInboundMail } from "../policies/mailbox.policy.js";
import type { InboundMailListInput } from "../schemas/mailbox.schemas.js";
import { pageInOrder, type Page } from "./cursor.js";

const summary = {
  id: inboundMail.id,
  mailboxId: inboundMail.mailboxId,
  source: inboundMail.source,
  messageId: inboundMail.messageId,
  fromAddress: inboundMail.fromAddress,
  subject: inboundMail.subject,
  status: inboundMail.status,
  reason: inboundMail.reason,
  ticketId: inboundMail.ticketId,
  messageRowId: inboundMail.messageRowId,
  size: sql<number>`coalesce(${inboundMail.rawSize}, octet_length(${inboundMail.raw}), 0)::int`,
  receivedAt: inboundMail.receivedAt,
};
/** A record of the log without its raw bytes, with their size. */
export type InboundMailSummary = Omit<InboundMail, "raw" | "rawSha256" | "rawSize"> & { size: number };

/** The inbound mail log, newest first, optionally one status (e.g. the quarantine) or one mailbox; managers and admins. */
export async function listInboundMail(ctx: CommandContext, q: InboundMailListInput): Promise<Page<InboundMailSummary>> {
  authorizeInboundMail(ctx.actor);
  return pageInOrder(
    q,
    "tu",
    [inboundMail.receivedAt, inboundMail.id],
    (after, order, limit) => {
      const filters: (SQL | undefined)[] = [
        q.status ? eq(inboundMail.status, q.status) : undefined,
        q.mailboxId ? eq(inboundMail.mailboxId, q.mailboxId) : undefined,
        after,
      ];
      return ctx.db
        .select(summary)
        .from(inboundMail)
        .where(and(...filters))
        .orderBy(...order)
        .limit(limit);
    },
    (m) => [m.receivedAt, m.id],
    "desc",
  );
}

/** One record of the log. */
export async function getInboundMail(ctx: CommandContext, id: string): Promise<InboundMailSummary> {
  authorizeInboundMail(ctx.actor);
  const [row] = await ctx.db.select(summary).from(inboundMail).where(eq(inboundMail.id, id));
  if (!row) throw notFound("inbound_mail_not_found", "Inbound mail", id);
  return row;
}

/** The raw message as it was received, byte for byte, streamed from the blob store, and its size. */
export async function getInboundMailRaw(ctx: CommandContext, id: string): Promise<{ body: Readable | Buffer; size: number }> {
  authorizeInboundMail(ctx.actor);
  const [row] = await ctx.db
    .select({ sha256: inboundMail.rawSha256, size: inboundMail.rawSize, legacy: inboundMail.raw })
    .from(inboundMail)
    .where(eq(inboundMail.id, id));
  if (!row) throw notFound("inbound_mail_not_found", "Inbound mail", id);
  if (!row.sha256) return { body: row.legacy ?? Buffer.alloc(0), size: row.legacy?.length ?? 0 };
  return { body: await blobStoreOf(ctx.db).get(row.sha256), size: row.size ?? 0 };
}
