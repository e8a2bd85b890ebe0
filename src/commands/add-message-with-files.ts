import { sql } from "drizzle-orm";
import { blobStoreOf } from "../blobs/blob-store.js";
import { queryRows } from "../db/raw.js";
import { attachments, type Attachment, type Message } from "../db/schema.js";
import { AppError, type FieldIssue } from "../domain/errors.js";
import { UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_TOTAL_BYTES, type CreateMessageWithFilesInput } from "../schemas/portal.schemas.js";
import type { CommandContext } from "./context.js";
import { addMessageInTx } from "./add-message.js";

export type MessageWithFiles = { message: Message; attachments: Omit<Attachment, "content" | "position">[] };

/**
 * Adds a message (a customer's, or staff's reply or note) with files sent as base64 in the JSON body. The
 * decoded sizes are checked first (413 `payload_too_large` naming the file; nothing written); the bytes go
 * into the blob store before the transaction (content-addressed, so a failed transaction leaves at most an
 * unreferenced blob, as inbound mail does), then the message and its attachment rows are written together.
 * Who may write what is decided by `addMessageInTx` (the ticket policy); the files follow their message's
 * visibility (a customer never sees a note's files).
 */
export async function addMessageWithFiles(ctx: CommandContext, ticketId: string, input: CreateMessageWithFilesInput): Promise<MessageWithFiles> {
  const files = input.attachments.map((a) => ({ ...a, bytes: Buffer.from(a.content, "base64") }));
  const tooLarge: FieldIssue[] = files.flatMap((f, i) =>
    f.bytes.length > UPLOAD_MAX_FILE_BYTES ? [{ path: `body.attachments.${i}.content`, message: `${f.filename} is larger than ${UPLOAD_MAX_FILE_BYTES / 1024 / 1024} MB` }] : [],
  );
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (tooLarge.length > 0 || total > UPLOAD_MAX_TOTAL_BYTES) {
    throw new AppError(
      "payload_too_large",
      `Files may be at most ${UPLOAD_MAX_FILE_BYTES / 1024 / 1024} MB each and ${UPLOAD_MAX_TOTAL_BYTES / 1024 / 1024} MB together.`,
      tooLarge.length > 0 ? tooLarge : [{ path: "body.attachments", message: `together larger than ${UPLOAD_MAX_TOTAL_BYTES / 1024 / 1024} MB` }],
    );
  }
  const blobs = blobStoreOf(ctx.db);
  const stored: { filename: string; contentType: string; sha256: string; size: number }[] = [];
  for (const f of files) stored.push({ filename: f.filename, contentType: f.contentType, ...(await blobs.put(f.bytes)) });

  return ctx.db.transaction(async (tx) => {
    const message = await addMessageInTx(ctx, tx, ticketId, { body: input.body, ...(input.kind ? { kind: input.kind } : {}) });
    // The ticket row is locked by addMessageInTx, so positions are numbered without a race.
    const [last] = await queryRows<{ position: number }>(tx, sql`select coalesce(max(position), -1)::int as position from attachments where ticket_id = ${message.ticketId}`);
    const rows = await tx
      .insert(attachments)
      .values(
        stored.map((f, i) => ({
          ticketId: message.ticketId,
          messageId: message.id,
          filename: f.filename,
          contentType: f.contentType,
          size: f.size,
          sha256: f.sha256,
          position: last!.position + 1 + i,
          createdAt: message.createdAt,
        })),
      )
      .returning({
        id: attachments.id,
        ticketId: attachments.ticketId,
        messageId: attachments.messageId,
        filename: attachments.filename,
        contentType: attachments.contentType,
        size: attachments.size,
        sha256: attachments.sha256,
        createdAt: attachments.createdAt,
      });
    return { message, attachments: rows };
  });
}
