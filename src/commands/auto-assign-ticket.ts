import { eq } from "drizzle-orm";
import { tickets, type Ticket } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { RoutingChoice } from "../domain/routing/choose-agent.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import { assignBestAgent } from "../routing/assign-best-agent.js";
import type { CommandContext } from "./context.js";
import { lockVisibleTicket } from "./support/load-ticket.js";

/** Assigns a ticket to the most suitable agent of its team (see `chooseAgent`), saying why. */
export async function autoAssignTicket(ctx: CommandContext, ticketId: string): Promise<{ ticket: Ticket; routing: RoutingChoice }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
    authorizeTicketWork(ctx.actor, ticket, "assign this ticket");
    if (FINISHED_STATUSES.includes(ticket.status)) throw new AppError("ticket_closed", `Ticket #${ticket.number} is ${ticket.status}.`);
    const routing = await assignBestAgent(tx, ctx.actor, now, ticket);
    const [after] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id));
    return { ticket: after!, routing };
  });
}
