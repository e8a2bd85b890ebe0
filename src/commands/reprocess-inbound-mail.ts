import { eq } from "drizzle-orm";
import { inboundMail, mailboxes } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeInboundMail } from "../policies/mailbox.policy.js";
import { readMail } from "../channels/email/inbound/read-mail.js";
import type { CommandContext } from "./context.js";
import { fileMail, putAttachmentBlobs } from "./ingest-email.js";
import { blobStoreOf, readBlob } from "../blobs/blob-store.js";

/**
 * Files a quarantined mail again from its raw bytes (managers and admins), with today's configuration and
 * data: e.g. after raising the attachment limit or creating the intake team. The record keeps its id and
 * shows the new outcome; a mail that is still not fileable stays quarantined with the new reason.
 */
export async function reprocessInboundMail(ctx: CommandContext, id: string, opts: { maxAttachmentBytes: number }): Promise<{ id: string }> {
  authorizeInboundMail(ctx.actor);
  const [row] = await ctx.db
    .select({ rawSha256: inboundMail.rawSha256, rawSize: inboundMail.rawSize, legacyRaw: inboundMail.raw, status: inboundMail.status, teamId: mailboxes.teamId })
    .from(inboundMail)
    .leftJoin(mailboxes, eq(mailboxes.id, inboundMail.mailboxId))
    .where(eq(inboundMail.id, id));
  if (!row) throw notFound("inbound_mail_not_found", "Inbound mail", id);
  if (row.status !== "quarantined" || !(row.rawSha256 || row.legacyRaw)) {
    throw new AppError("inbound_mail_not_quarantined", `Inbound mail ${id} is ${row.status}; only quarantined mail is reprocessed.`);
  }
  // The raw mail from the blob store (mail taken in before it existed still has its bytes in the row).
  const raw = row.rawSha256 ? await readBlob(blobStoreOf(ctx.db), row.rawSha256, row.rawSize ?? undefined) : row.legacyRaw!;
  const own = await ctx.db.select({ address: mailboxes.address }).from(mailboxes);
  const mail = await readMail(raw, { ownAddresses: new Set(own.map((m) => m.address.toLowerCase())), maxAttachmentBytes: opts.maxAttachmentBytes });
  await putAttachmentBlobs(ctx.db, mail);
  const refile = (m: typeof mail) =>
    ctx.db.transaction(async (tx) => {
      // Locked and checked again: two reprocess requests at once file the mail once.
      const [locked] = await tx.select({ status: inboundMail.status }).from(inboundMail).where(eq(inboundMail.id, id)).for("update");
      if (locked?.status !== "quarantined") throw new AppError("inbound_mail_not_quarantined", `Inbound mail ${id} was filed meanwhile.`);
      await fileMail(tx, ctx, id, m, row.teamId ?? null);
    });
  try {
    await refile(mail);
  } catch (err) {
    if (!(err instanceof AppError) || err.code === "inbound_mail_not_quarantined") throw err;
    await refile({ ...mail, verdict: { kind: "quarantine", reason: `could not be filed: ${err.message}` } });
  }
  return { id };
}
