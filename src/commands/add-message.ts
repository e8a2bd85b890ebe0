import { and, asc, eq, gt } from "drizzle-orm";
import { events, messages, tickets, type Message, type Ticket } from "../db/schema.js";
import { actorIdOf, type Principal } from "../domain/principal.js";
import { AppError } from "../domain/errors.js";
import type { MessageKind, TicketStatus } from "../domain/vocabulary.js";
import { authorizeMessage } from "../policies/ticket.policy.js";
import type { CreateMessageInput } from "../schemas/ticket.schemas.js";
import { onCustomerMessage, onPublicReply, onStatusChanged, SlaSession } from "../sla/clocks.js";
import { evaluateRules } from "../rules/evaluate-rules.js";
import type { Tx } from "../db/store.js";
import type { CommandContext } from "./context.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue, type NewEvent } from "./support/timeline.js";

/**
 * Adds a public reply or internal note (staff) or a customer message to a ticket. A customer writing on a
 * pending or resolved ticket puts it back to open (a resolved ticket is thereby reopened); the first public
 * reply on a new ticket opens it. A closed ticket takes no more messages.
 */
export async function addMessage(ctx: CommandContext, ticketId: string, input: CreateMessageInput): Promise<Message> {
  return ctx.db.transaction((tx) => addMessageInTx(ctx, tx, ticketId, input));
}

/**
 * `addMessage` inside the caller's transaction, for channels that write more with it (inbound email: the
 * mail's record, thread and attachments). `bodyHtml` is HTML the channel has already sanitised.
 */
export async function addMessageInTx(ctx: CommandContext, tx: Tx, ticketId: string, input: CreateMessageInput & { bodyHtml?: string | null }): Promise<Message> {
  // A customer's message is always a customer message, but a customer asking for an internal note is refused.
  const kind: MessageKind =
    ctx.actor.kind === "customer" && input.kind !== "internal" ? "customer" : (input.kind ?? "public");
  const now = ctx.clock.now();
  const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
  authorizeMessage(ctx.actor, kind, ticket);
  if (ticket.status === "closed") throw new AppError("ticket_closed", `Ticket #${ticket.number} is closed; open a new ticket instead.`);
  // Checked under the ticket's row lock: nothing can change it between this look and the insert.
  if (input.expectedVersion !== undefined) await assertUnchangedSince(tx, ctx.actor, ticket, input.expectedVersion);
  const [message] = await tx
    .insert(messages)
    .values({
      ticketId: ticket.id,
      kind,
      body: input.body,
      bodyHtml: input.bodyHtml ?? null,
      authorAgentId: ctx.actor.kind === "agent" ? ctx.actor.id : null,
      authorCustomerId: ctx.actor.kind === "customer" ? ctx.actor.id : null,
      createdAt: now,
    })
    .returning();
  const list: NewEvent[] = [
    {
      ticketId: ticket.id,
      type: `message.${kind}`,
      visibility: kind === "internal" ? "internal" : "public",
      data: { messageId: message!.id },
    },
  ];
  const next = nextStatus(ticket.status, kind);
  if (next !== ticket.status) {
    const isReopen = ticket.status === "resolved";
    await tx
      .update(tickets)
      .set({
        status: next,
        updatedAt: now,
        ...(isReopen ? { resolvedAt: null, reopenCount: ticket.reopenCount + 1 } : {}),
      })
      .where(eq(tickets.id, ticket.id));
    list.push({
      ticketId: ticket.id,
      type: isReopen ? "ticket.reopened" : "ticket.status_changed",
      visibility: "public",
      data: { status: { from: ticket.status, to: next } },
    });
  } else {
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticket.id));
  }
  await appendEvents(tx, ctx.actor, now, list);
  const sla = new SlaSession(tx, now, ctx.actor);
  const after = { ...ticket, status: next };
  if (next !== ticket.status) await onStatusChanged(sla, after, ticket.status);
  if (kind === "public") await onPublicReply(sla, after);
  if (kind === "customer") {
    await onCustomerMessage(sla, after);
    await evaluateRules(tx, now, ticket.id, "message.received", message!.id);
  }
  if (kind !== "internal") await enqueue(tx, now, `message.${kind}`, { ticketId: ticket.id, messageId: message!.id });
  return message!;
}

/** Timeline events that do not change what a writer is answering: clock bookkeeping. */
const isBookkeeping = (type: string) => type.startsWith("sla.");

/**
 * Throws 409 `ticket_changed` when someone other than the actor changed the ticket after the event
 * `seenEventId` (a message, a status, an assignment, an escalation …), listing those events; the
 * actor's own changes and SLA bookkeeping do not count. A customer is only told of public events.
 */
async function assertUnchangedSince(tx: Tx, actor: Principal, ticket: Ticket, seenEventId: number): Promise<void> {
  const rows = await tx
    .select()
    .from(events)
    .where(
      and(
        eq(events.ticketId, ticket.id),
        gt(events.id, seenEventId),
        actor.kind === "customer" ? eq(events.visibility, "public") : undefined,
      ),
    )
    .orderBy(asc(events.id));
  const me = actorIdOf(actor);
  const changes = rows.filter((e) => !isBookkeeping(e.type) && !(e.actorType === actor.kind && e.actorId === me));
  if (changes.length === 0) return;
  const kinds = [...new Set(changes.map((e) => e.type))].join(", ");
  throw new AppError(
    "ticket_changed",
    `Ticket #${ticket.number} changed since you opened it (${kinds}); review the changes, then send again.`,
    undefined,
    { changes: changes.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })), currentVersion: rows[rows.length - 1]!.id },
  );
}

function nextStatus(current: TicketStatus, kind: MessageKind): TicketStatus {
  if (kind === "customer" && (current === "pending" || current === "resolved")) return "open";
  if (kind === "public" && current === "new") return "open";
  return current;
}
