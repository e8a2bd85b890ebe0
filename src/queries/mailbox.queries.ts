import { eq } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { mailboxes, type Mailbox } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeMailboxes } from "../policies/mailbox.policy.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** The mailboxes by name (admins only). */
export async function listMailboxes(ctx: CommandContext, q: PageInput): Promise<Page<Mailbox>> {
  authorizeMailboxes(ctx.actor);
  return pageInOrder(
    q,
    "su",
    [mailboxes.name, mailboxes.id],
    (after, order, limit) => ctx.db.select().from(mailboxes).where(after).orderBy(...order).limit(limit),
    (m) => [m.name, m.id],
  );
}

/** One mailbox (admins only). */
export async function getMailbox(ctx: CommandContext, mailboxId: string): Promise<Mailbox> {
  authorizeMailboxes(ctx.actor);
  const [row] = await ctx.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!row) throw notFound("mailbox_not_found", "Mailbox", mailboxId);
  return row;
}
