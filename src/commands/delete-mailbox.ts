import { eq } from "drizzle-orm";
import { inboundMail, mailboxes } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeMailboxes } from "../policies/mailbox.policy.js";
import type { CommandContext } from "./context.js";
import { forgetMailboxAddresses } from "./ingest-email.js";

/**
 * Removes a mailbox that has never taken mail in (admins only). One with mail keeps its log: it can be
 * switched off with `active: false` instead.
 */
export async function deleteMailbox(ctx: CommandContext, mailboxId: string): Promise<void> {
  authorizeMailboxes(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: mailboxes.id }).from(mailboxes).where(eq(mailboxes.id, mailboxId)).for("update");
    if (!row) throw notFound("mailbox_not_found", "Mailbox", mailboxId);
    const [used] = await tx.select({ id: inboundMail.id }).from(inboundMail).where(eq(inboundMail.mailboxId, mailboxId)).limit(1);
    if (used) throw new AppError("mailbox_in_use", "This mailbox has taken mail in; set active to false instead of deleting it.");
    await tx.delete(mailboxes).where(eq(mailboxes.id, mailboxId));
  });
  forgetMailboxAddresses(ctx.db);
}
