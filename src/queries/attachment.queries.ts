import { and, eq, isNull, ne, or, type SQL } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { attachments, messages, tickets } from "../db/schema.js";
import { ticketVisibility } from "../policies/ticket.policy.js";
import { notFound } from "../domain/errors.js";
import { getTicket } from "./ticket.queries.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

export type Attachment = typeof attachments.$inferSelect;
export type AttachmentInfo = Omit<Attachment, "content">;

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

/** A ticket's attachments, oldest first, for whoever may see the ticket. */
export async function listTicketAttachments(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<AttachmentInfo>> {
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "tu",
    [attachments.createdAt, attachments.id],
    (after, order, limit) =>
      ctx.db
        .select(info)
        .from(attachments)
        .leftJoin(messages, eq(messages.id, attachments.messageId))
        .where(and(eq(attachments.ticketId, ticketId), visibleToActor(ctx), after))
        .orderBy(...order)
        .limit(limit),
    (a) => [a.createdAt, a.id],
  );
}

/** One attachment with its content, if the actor may see its ticket (and, for a customer, its message); else 404. */
export async function getAttachment(ctx: CommandContext, attachmentId: string): Promise<Attachment> {
  const [row] = await ctx.db
    .select({ attachment: attachments })
    .from(attachments)
    .innerJoin(tickets, eq(tickets.id, attachments.ticketId))
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.id, attachmentId), ticketVisibility(ctx.actor), visibleToActor(ctx)));
  if (!row) throw notFound("attachment_not_found", "Attachment", attachmentId);
  return row.attachment;
}
