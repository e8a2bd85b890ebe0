import { mailboxes, type Mailbox } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeMailboxes } from "../policies/mailbox.policy.js";
import type { CreateMailboxInput } from "../schemas/mailbox.schemas.js";
import type { CommandContext } from "./context.js";
import { forgetMailboxAddresses } from "./ingest-email.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { assertTeamsExist } from "./support/teams-exist.js";

/** Adds an inbound mailbox (admins only): its address, the team its new tickets go to, optionally an IMAP account to poll. */
export async function createMailbox(ctx: CommandContext, input: CreateMailboxInput): Promise<Mailbox> {
  authorizeMailboxes(ctx.actor);
  if (input.teamId) await assertTeamsExist(ctx.db, [input.teamId]);
  try {
    const [row] = await ctx.db
      .insert(mailboxes)
      .values({ ...input, createdAt: ctx.clock.now() })
      .returning();
    forgetMailboxAddresses(ctx.db);
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("mailbox_exists", "A mailbox with this name or address already exists.");
    throw err;
  }
}
