import { eq } from "drizzle-orm";
import { mailboxes, type Mailbox } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeMailboxes } from "../policies/mailbox.policy.js";
import type { UpdateMailboxInput } from "../schemas/mailbox.schemas.js";
import type { CommandContext } from "./context.js";
import { forgetMailboxAddresses } from "./ingest-email.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertTeamsExist } from "./support/teams-exist.js";

/** The fields that name the IMAP folder: changing one makes its stored UIDs meaningless. */
const FOLDER_FIELDS = ["imapHost", "imapPort", "imapSecure", "imapUser", "imapFolder"] as const;

/**
 * Changes a mailbox (admins only). A null `imapPassword` removes the stored password; an absent one keeps
 * it. Pointing the mailbox at another IMAP folder starts polling that folder from its first message
 * (mail already taken in is recognised by its Message-ID and not filed twice).
 */
export async function updateMailbox(ctx: CommandContext, mailboxId: string, input: UpdateMailboxInput): Promise<Mailbox> {
  authorizeMailboxes(ctx.actor);
  try {
    const updated = await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)).for("update");
      if (!row) throw notFound("mailbox_not_found", "Mailbox", mailboxId);
      if (input.teamId) await assertTeamsExist(tx, [input.teamId]);
      const next = { ...row, ...definedOnly(input) };
      if (next.imapHost !== null && (next.imapUser === null || next.imapPassword === null)) {
        throw new AppError("validation_failed", "An IMAP mailbox needs imapUser and imapPassword.", [
          { path: next.imapUser === null ? "body.imapUser" : "body.imapPassword", message: "is required while imapHost is set" },
        ]);
      }
      const moved = FOLDER_FIELDS.some((f) => next[f] !== row[f]);
      const [updated] = await tx
        .update(mailboxes)
        .set({ ...definedOnly(input), ...(moved ? { uidValidity: null, lastUid: 0 } : {}) })
        .where(eq(mailboxes.id, mailboxId))
        .returning();
      return updated!;
    });
    forgetMailboxAddresses(ctx.db);
    return updated;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("mailbox_exists", "A mailbox with this name or address already exists.");
    throw err;
  }
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
