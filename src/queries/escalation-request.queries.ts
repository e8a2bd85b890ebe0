import { and, eq } from "drizzle-orm";
import { escalationRequests, tickets, type EscalationRequest } from "../db/schema.js";
import { authorizeEscalationAnswer } from "../policies/escalation-request.policy.js";
import { ticketVisibility } from "../policies/ticket.policy.js";
import type { EscalationRequestListInput } from "../schemas/escalation-request.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { pageInOrder, type Page } from "./cursor.js";
import { getTicket } from "./ticket.queries.js";

type PageInput = { limit: number; cursor?: string | undefined };

const sortColumns: [typeof escalationRequests.createdAt, typeof escalationRequests.id] = [escalationRequests.createdAt, escalationRequests.id];
const keyOf = (r: EscalationRequest) => [r.createdAt, r.id];

/** A ticket's escalation requests with their answers, oldest first: for its customer and for staff who see it. */
export async function listTicketEscalationRequests(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<EscalationRequest>> {
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "tu",
    sortColumns,
    (after, order, limit) =>
      ctx.db
        .select()
        .from(escalationRequests)
        .where(and(eq(escalationRequests.ticketId, ticketId), after))
        .orderBy(...order)
        .limit(limit),
    keyOf,
  );
}

/** Escalation requests on the tickets the agent can see, oldest first (the queue to answer), by status. */
export async function listEscalationRequests(ctx: CommandContext, q: EscalationRequestListInput): Promise<Page<EscalationRequest>> {
  authorizeEscalationAnswer(ctx.actor);
  return pageInOrder(
    q,
    "tu",
    sortColumns,
    async (after, order, limit) => {
      const rows = await ctx.db
        .select({ request: escalationRequests })
        .from(escalationRequests)
        .innerJoin(tickets, eq(tickets.id, escalationRequests.ticketId))
        .where(and(ticketVisibility(ctx.actor), q.status ? eq(escalationRequests.status, q.status) : undefined, after))
        .orderBy(...order)
        .limit(limit);
      return rows.map((r) => r.request);
    },
    keyOf,
  );
}
