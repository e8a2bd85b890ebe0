import { AppError } from "../domain/errors.js";
import type { Ticket } from "../db/schema.js";
import type { BulkUpdateTicketsInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { changeLockedTicket } from "./update-ticket.js";

/** A ticket holds at most this many tags, as PATCH allows. */
const MAX_TAGS = 30;

/**
 * Applies one change (status, priority, assignee, tags to add) to many tickets in one transaction, each
 * checked and changed exactly as `updateTicket` would (same permission rule, guards, events, SLA clocks and
 * rules). The first ticket refused refuses them all: the problem names it and nothing is written.
 * Tickets are locked in id order, so two bulk changes over overlapping tickets cannot deadlock.
 */
export async function bulkUpdateTickets(ctx: CommandContext, input: BulkUpdateTicketsInput): Promise<Ticket[]> {
  const now = ctx.clock.now();
  const ids = [...input.ticketIds].sort();
  const { addTags, ...change } = input.change;
  const changed = await ctx.db.transaction(async (tx) => {
    const out = new Map<string, Ticket>();
    for (const id of ids) {
      const ticket = await lockVisibleTicket(tx, ctx.actor, id);
      try {
        const tags = addTags ? [...new Set([...ticket.tags, ...addTags])] : undefined;
        if (tags && tags.length > MAX_TAGS) {
          throw new AppError("validation_failed", `It would carry ${tags.length} tags; a ticket holds at most ${MAX_TAGS}.`, [{ path: "body.change.addTags", message: `too many tags for ticket #${ticket.number}` }]);
        }
        out.set(id, await changeLockedTicket(tx, ctx, now, ticket, { ...change, tags }));
      } catch (err) {
        // Name the ticket that refused the batch; the transaction rolls back every change before it.
        if (err instanceof AppError) throw new AppError(err.code, `Ticket #${ticket.number}: ${err.message}`, err.fields);
        throw err;
      }
    }
    return out;
  });
  return input.ticketIds.map((id) => changed.get(id)!);
}
