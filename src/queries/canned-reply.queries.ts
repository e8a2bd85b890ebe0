import { and, eq, ilike } from "drizzle-orm";
import { agents, cannedReplies, customers, type CannedReply } from "../db/schema.js";
import { fillCannedBody, firstNameOf } from "../domain/canned/canned-placeholders.js";
import { notFound } from "../domain/errors.js";
import { authorizeCannedReplies } from "../policies/canned-reply.policy.js";
import type { CannedReplyListInput } from "../schemas/canned-reply.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { pageInOrder, type Page } from "./cursor.js";
import { getTicket } from "./ticket.queries.js";

/** Canned replies by title (staff), optionally those whose title contains `q`. */
export async function listCannedReplies(ctx: CommandContext, q: CannedReplyListInput): Promise<Page<CannedReply>> {
  authorizeCannedReplies(ctx.actor, "read");
  const filter = q.q ? ilike(cannedReplies.title, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined;
  return pageInOrder(
    q,
    "su",
    [cannedReplies.title, cannedReplies.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(cannedReplies)
        .where(and(filter, after))
        .orderBy(...order)
        .limit(limit),
    (r) => [r.title, r.id],
  );
}

/** One canned reply (staff). */
export async function getCannedReply(ctx: CommandContext, id: string): Promise<CannedReply> {
  authorizeCannedReplies(ctx.actor, "read");
  const [row] = await ctx.db.select().from(cannedReplies).where(eq(cannedReplies.id, id));
  if (!row) throw notFound("canned_reply_not_found", "Canned reply", id);
  return row;
}

/**
 * A canned reply filled in for a ticket the caller can see: the ticket's customer, number and subject, and
 * the caller as the agent. Rendered here, not in the browser, so what is inserted is what the server knows.
 */
export async function renderCannedReply(ctx: CommandContext, id: string, ticketId: string): Promise<{ id: string; title: string; body: string }> {
  const reply = await getCannedReply(ctx, id);
  const ticket = await getTicket(ctx, ticketId);
  const [customer] = await ctx.db.select({ name: customers.name, email: customers.email }).from(customers).where(eq(customers.id, ticket.customerId));
  const [agent] = ctx.actor.kind === "agent" ? await ctx.db.select({ name: agents.name }).from(agents).where(eq(agents.id, ctx.actor.id)) : [];
  const body = fillCannedBody(reply.body, {
    "customer.name": customer?.name ?? "",
    "customer.first_name": firstNameOf(customer?.name ?? ""),
    "customer.email": customer?.email ?? "",
    "ticket.number": String(ticket.number),
    "ticket.subject": ticket.subject,
    "agent.name": agent?.name ?? "",
    "agent.first_name": firstNameOf(agent?.name ?? ""),
  });
  return { id: reply.id, title: reply.title, body };
}
