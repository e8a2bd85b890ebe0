import { and, eq, inArray } from "drizzle-orm";
import { escalationRequests, escalations, tickets, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { AppError } from "../domain/errors.js";
import type { EscalationOutcome } from "../domain/vocabulary.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeTicketUpdate } from "../policies/ticket.policy.js";
import type { UpdateTicketInput } from "../schemas/ticket.schemas.js";
import { onPriorityChanged, onStatusChanged, rematchSlaPolicy, SlaSession } from "../sla/clocks.js";
import { evaluateRules } from "../rules/evaluate-rules.js";
import type { CommandContext } from "./context.js";
import { activeEscalations, assertAgentInTeam, lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, diff, enqueue, type NewEvent } from "./support/timeline.js";
import { ticketSnapshot } from "./support/ticket-snapshot.js";

/**
 * Changes a ticket's subject, status, priority, category, tags or assignee. A closed ticket is final.
 * Resolving or closing ends the ticket's open escalations with that outcome; moving a resolved ticket
 * back to work counts as a reopen. The status change is on the customer's timeline; the rest is internal.
 * A customer may close their own ticket and change nothing else (see `authorizeTicketUpdate`).
 */
export async function updateTicket(ctx: CommandContext, ticketId: string, input: UpdateTicketInput): Promise<Ticket> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => changeLockedTicket(tx, ctx, now, await lockVisibleTicket(tx, ctx.actor, ticketId), input));
}

/**
 * `updateTicket`'s work inside the caller's transaction, on a ticket the caller has loaded with
 * `lockVisibleTicket`: the check, the change, its events, outbox rows, SLA clocks and rules. The bulk
 * change runs it for each of its tickets in one transaction.
 */
export async function changeLockedTicket(tx: Tx, ctx: CommandContext, now: Date, ticket: Ticket, input: UpdateTicketInput): Promise<Ticket> {
  {
    authorizeTicketUpdate(ctx.actor, ticket, input);
    if (ticket.status === "closed") throw new AppError("ticket_closed", `Ticket #${ticket.number} is closed and can no longer change.`);
    if (input.assigneeId) await assertAgentInTeam(tx, input.assigneeId, ticket.teamId);

    const patch: Partial<Ticket> = {
      subject: input.subject,
      status: input.status,
      priority: input.priority,
      category: input.category,
      assigneeId: input.assigneeId,
      tags: input.tags ? [...new Set(input.tags)] : undefined,
    };
    const before = ticketSnapshot(ticket);
    const changes = diff(before, patch);
    if (Object.keys(changes).length === 0) return ticket;

    const status = input.status ?? ticket.status;
    const isReopen = FINISHED_STATUSES.includes(ticket.status) && !FINISHED_STATUSES.includes(status);
    const [updated] = await tx
      .update(tickets)
      .set({
        ...patch,
        updatedAt: now,
        resolvedAt: status === "resolved" ? (ticket.resolvedAt ?? now) : isReopen ? null : ticket.resolvedAt,
        closedAt: status === "closed" ? now : null,
        reopenCount: isReopen ? ticket.reopenCount + 1 : ticket.reopenCount,
      })
      .where(eq(tickets.id, ticket.id))
      .returning();

    const list: NewEvent[] = [];
    const { status: statusChange, ...fieldChanges } = changes;
    if (statusChange) {
      list.push({ ticketId: ticket.id, type: isReopen ? "ticket.reopened" : "ticket.status_changed", visibility: "public", data: { status: statusChange } });
    }
    if (Object.keys(fieldChanges).length > 0) {
      list.push({ ticketId: ticket.id, type: "ticket.updated", visibility: "internal", data: { changes: fieldChanges } });
    }
    if (FINISHED_STATUSES.includes(status) && !FINISHED_STATUSES.includes(ticket.status)) {
      const outcome: EscalationOutcome = status === "resolved" ? "resolved" : "closed";
      const open = await activeEscalations(tx, ticket.id);
      if (open.length > 0) {
        await tx
          .update(escalations)
          .set({ status: "closed", closedAt: now, outcome })
          .where(inArray(escalations.id, open.map((e) => e.id)));
        for (const e of open) {
          list.push({ ticketId: ticket.id, type: "escalation.closed", visibility: "internal", data: { escalationId: e.id, outcome } });
        }
      }
      // A customer's open request for escalation is answered by the ticket being finished: they read why.
      const answer = `Your ticket was ${status} before your request was answered. If the issue remains, reply and the ticket reopens.`;
      const answered = await tx
        .update(escalationRequests)
        .set({ status: "declined", decidedAt: now, answer, decidedById: ctx.actor.kind === "agent" ? ctx.actor.id : null })
        .where(and(eq(escalationRequests.ticketId, ticket.id), eq(escalationRequests.status, "open")))
        .returning({ id: escalationRequests.id, customerId: escalationRequests.customerId });
      for (const r of answered) {
        list.push({ ticketId: ticket.id, type: "escalation_request.declined", visibility: "public", data: { requestId: r.id, answer, automatic: true } });
        await enqueue(tx, now, "escalation_request.declined", { ticketId: ticket.id, requestId: r.id, customerId: r.customerId, answer });
      }
    }
    await appendEvents(tx, ctx.actor, now, list);
    await enqueue(tx, now, "ticket.updated", { ticketId: ticket.id, changes });
    const sla = new SlaSession(tx, now, ctx.actor);
    if (changes.priority) await onPriorityChanged(sla, updated!);
    else if (changes.category) await rematchSlaPolicy(sla, updated!);
    if (changes.status) await onStatusChanged(sla, updated!, ticket.status);
    if (await evaluateRules(tx, now, ticket.id, "ticket.updated", `update:${now.toISOString()}`)) {
      return (await tx.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!;
    }
    return updated!;
  }
}
