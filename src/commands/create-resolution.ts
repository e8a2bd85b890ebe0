import { eq } from "drizzle-orm";
import { agents, approvals, resolutions, type Approval, type Resolution } from "../db/schema.js";
import { covers, effectiveLimit, parseAgentLimits } from "../domain/authority.js";
import { AppError } from "../domain/errors.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { authorizeTicketWork } from "../policies/ticket.policy.js";
import type { CreateResolutionInput } from "../schemas/authority.schemas.js";
import { SlaSession } from "../sla/clocks.js";
import type { CommandContext } from "./context.js";
import { findApprover, loadRoleLimits, scheduleApprovalDeadline } from "./support/approvals.js";
import { lockVisibleTicket } from "./support/load-ticket.js";
import { appendEvents, enqueue } from "./support/timeline.js";

export type ResolutionWithApproval = Resolution & { approval: Approval | null };

/**
 * Grants a customer a refund, credit, replacement or goodwill gesture on a ticket the caller can see.
 * Within the caller's effective limit (their own for the type, else their role's; same currency) it is
 * applied at once, and the customer's timeline shows what was granted (never the internal note). Above
 * it, the resolution waits for an approval by the lowest-ranked person whose limit covers it — never the
 * requester — who has `approvalTimeoutMinutes` to decide before it goes to the next approver up. When
 * nobody's limit covers it the request is refused (`no_approver`) and nothing is written.
 */
export async function createResolution(
  ctx: CommandContext,
  ticketId: string,
  input: CreateResolutionInput,
  opts: { approvalTimeoutMinutes: number },
): Promise<ResolutionWithApproval> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const ticket = await lockVisibleTicket(tx, ctx.actor, ticketId);
    const agent = requireAgent(ctx.actor, "grant refunds, credits, replacements or goodwill");
    authorizeTicketWork(agent, ticket, "grant a refund, credit, replacement or goodwill on this ticket");
    if (ticket.status === "closed") throw new AppError("ticket_closed", `Ticket #${ticket.number} is closed; reopen it before granting anything on it.`);

    const [me] = await tx.select({ role: agents.role, authorityLimits: agents.authorityLimits }).from(agents).where(eq(agents.id, agent.id));
    const limit = effectiveLimit(parseAgentLimits(me!.authorityLimits), me!.role, input.type, await loadRoleLimits(tx));
    const request = { type: input.type, amount: input.amount, currency: input.currency, note: input.note, requestedById: agent.id };

    if (covers(limit, input)) {
      const [resolution] = await tx
        .insert(resolutions)
        .values({ ...request, ticketId: ticket.id, status: "applied", createdAt: now, appliedAt: now })
        .returning();
      const r = resolution!;
      await appendEvents(tx, agent, now, [
        { ticketId: ticket.id, type: "resolution.applied", visibility: "public", data: { resolutionId: r.id, type: r.type, amount: r.amount, currency: r.currency } },
      ]);
      await enqueue(tx, now, "resolution.applied", { ticketId: ticket.id, resolutionId: r.id, type: r.type, amount: r.amount, currency: r.currency });
      return { ...r, approval: null };
    }

    const approver = await findApprover(tx, request);
    if (!approver) {
      throw new AppError(
        "no_approver",
        `Nobody's authority limit covers a ${input.type} of ${input.amount} ${input.currency}, so it cannot be granted or sent for approval.`,
      );
    }
    const timeoutMs = opts.approvalTimeoutMinutes * 60_000;
    const [resolution] = await tx
      .insert(resolutions)
      .values({ ...request, ticketId: ticket.id, status: "pending_approval", createdAt: now })
      .returning();
    const r = resolution!;
    const [approval] = await tx
      .insert(approvals)
      .values({ ticketId: ticket.id, resolutionId: r.id, approverId: approver.id, requestedAt: now, dueAt: new Date(now.getTime() + timeoutMs) })
      .returning();
    const a = approval!;
    await scheduleApprovalDeadline(new SlaSession(tx, now, agent), a, 1, timeoutMs);
    await appendEvents(tx, agent, now, [
      {
        ticketId: ticket.id,
        type: "approval.requested",
        visibility: "internal",
        data: {
          approvalId: a.id,
          resolutionId: r.id,
          type: r.type,
          amount: r.amount,
          currency: r.currency,
          note: r.note,
          requesterLimit: limit,
          approverId: a.approverId,
          dueAt: a.dueAt,
        },
      },
    ]);
    await enqueue(tx, now, "approval.requested", {
      ticketId: ticket.id,
      approvalId: a.id,
      resolutionId: r.id,
      approverId: a.approverId,
      requestedById: agent.id,
      dueAt: a.dueAt!.toISOString(),
    });
    return { ...r, approval: a };
  });
}
