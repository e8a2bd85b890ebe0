import { and, eq, isNull, ne, or, type SQL } from "drizzle-orm";
import type { Readable } from "node:stream";
import { blobStoreOf } from "../blobs/blob-store.js";
import type { CommandContext } from "../commands/context.js";
import { attachments, messages, tickets } from "../db/schema.js";
import { ticketVisibility } from "../policies/ticket.policy.js";
import { notFound } from "../domain/errors.js";
import { getTicket } from "./ticket.queries.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

export type Attachment = typeof attachments.$inferSelect;
export type AttachmentInfo = Omit<Attachment, "content" | "position">;

const info = {
  id: attachments.id,
  ticketId: attachments.ticketId,
  messageId: attachments.messageId,
  filename: attachments.filename,
  contentType: attachments.contentType,
  size: attachments.size,
  sha256: attachments.sha256,
  createdAt: attachments.createdAt,
};

/** Customers never see what came with an internal note; staff see every attachment of a ticket they can see. */
function visibleToActor(ctx: CommandContext): SQL | undefined {
  return ctx.actor.kind === "customer" ? or(isNull(attachments.messageId), ne(messages.kind, "internal")) : undefined;
}

/** A ticket's attachments in their order (as each mail had them, mail after mail), for whoever may see the ticket. */
export async function listTicketAttachments(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<AttachmentInfo>> {
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "iu",
    [attachments.position, attachments.id],
    (after, order, limit) =>
      ctx.db
        .select({ ...info, position: attachments.position })
        .from(attachments)
        .leftJoin(messages, eq(messages.id, attachments.messageId))
        .where(and(eq(attachments.ticketId, ticketId), visibleToActor(ctx), after))
        .orderBy(...order)
        .limit(limit),
    (a) => [a.position, a.id],
  );
}

/**
 * One attachment with its bytes (streamed from the blob store; a file stored before the blob store still
 * has them in its row), if the actor may see its ticket (and, for a customer, its message); else 404.
 */
export async function getAttachment(ctx: CommandContext, attachmentId: string): Promise<AttachmentInfo & { body: Readable | Buffer }> {
  const [row] = await ctx.db
    .select({ attachment: { ...info, content: attachments.content } })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.id, attachmentId), ticketVisibility(ctx.actor), visibleToActor(ctx)));
  if (!row) throw notFound("attachment_not_found", "Attachment", attachmentId);
  const { content, ...file } = row.attachment;
  return { ...file, body: content ?? (await blobStoreOf(ctx.db).get(file.sha256)) };
}
