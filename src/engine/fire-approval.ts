import { and, eq } from "drizzle-orm";
import { approvals, type Deadline, type Ticket } from "../db/schema.js";
import { grantTotal } from "../domain/authority.js";
import {
  findApprover,
  loadApproval,
  loadCandidate,
  scheduleApprovalDeadline,
  type ApprovalDeadlinePayload,
} from "../commands/support/approvals.js";
import { appendEvents, enqueue } from "../commands/support/timeline.js";
import type { SlaSession } from "../sla/clocks.js";

/**
 * An approval's decision time ran out (`deadline.approvalId`): if it is still pending with the approver the
 * deadline was set for, it goes to the next approver up — the lowest-ranked person senior to the current
 * one (a higher role, or the same role on a higher level) whose limit covers it, never the requester — with
 * a fresh decision time and deadline. With nobody above, an `approval.unanswered` event records that it is
 * stuck. Runs in the engine's transaction with the ticket locked, like every firing, so it cannot race a
 * decision. Returns `obsolete` when there was nothing to do (decided, or already handed on).
 */
export async function fireApprovalTimeout(s: SlaSession, ticket: Ticket, deadline: Deadline): Promise<"fired" | "obsolete"> {
  const approval = await loadApproval(s.tx, deadline.approvalId!);
  const payload = deadline.payload as Partial<ApprovalDeadlinePayload>;
  if (!approval || approval.status !== "pending") return "obsolete";
  if (payload.approverId !== undefined && payload.approverId !== approval.approverId) return "obsolete";

  const r = approval.resolution;
  const round = payload.round ?? 1;
  const timeoutMs = payload.timeoutMs ?? (approval.dueAt ?? s.now).getTime() - approval.requestedAt.getTime();
  const current = await loadCandidate(s.tx, approval.approverId);
  // The next approver up must cover the sum on the ticket the request was judged by, as the first one did.
  const next = current ? await findApprover(s.tx, { ...r, amount: grantTotal(approval.grantedBefore ?? { amount: 0 }, r).amount }, current) : null;

  if (!next) {
    await appendEvents(s.tx, s.actor, s.now, [
      {
        ticketId: ticket.id,
        type: "approval.unanswered",
        visibility: "internal",
        data: { approvalId: approval.id, resolutionId: r.id, approverId: approval.approverId, dueAt: approval.dueAt, why: "not decided in time, and nobody above can approve it" },
      },
    ]);
    await enqueue(s.tx, s.now, "approval.unanswered", {
      ticketId: ticket.id,
      approvalId: approval.id,
      resolutionId: r.id,
      approverId: approval.approverId,
      requestedById: r.requestedById,
    });
    return "fired";
  }

  const dueAt = new Date(s.now.getTime() + timeoutMs);
  const [moved] = await s.tx
    .update(approvals)
    .set({ approverId: next.id, dueAt })
    .where(and(eq(approvals.id, approval.id), eq(approvals.status, "pending")))
    .returning();
  if (!moved) return "obsolete";
  await scheduleApprovalDeadline(s, moved, round + 1, timeoutMs);
  await appendEvents(s.tx, s.actor, s.now, [
    {
      ticketId: ticket.id,
      type: "approval.escalated",
      visibility: "internal",
      data: {
        approvalId: approval.id,
        resolutionId: r.id,
        approverId: { from: approval.approverId, to: next.id },
        dueAt,
        why: `not decided within ${Math.round(timeoutMs / 60_000)} min`,
      },
    },
  ]);
  await enqueue(s.tx, s.now, "approval.requested", {
    ticketId: ticket.id,
    approvalId: approval.id,
    resolutionId: r.id,
    approverId: next.id,
    requestedById: r.requestedById,
    dueAt: dueAt.toISOString(),
    escalatedFrom: approval.approverId,
  });
  return "fired";
}
