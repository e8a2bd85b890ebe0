import { and, asc, eq, inArray } from "drizzle-orm";
import { agents, approvals, resolutions, type Approval, type Resolution } from "../db/schema.js";
import { covers, effectiveLimit, grantTotal, parseAgentLimits, type GrantedBefore } from "../domain/authority.js";
import type { Tx } from "../db/store.js";
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
 * Limits apply to the sum granted on the ticket per type and currency: the request plus what was granted
 * before (applied, approved, and still waiting for approval — so two requests that each fit cannot both
 * pass while neither is decided; denied ones do not count). Within the caller's effective limit (their own
 * for the type, else their role's; same currency) that sum is applied at once, and the customer's timeline shows what was granted (never the internal note). Above
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
    const grantedBefore = await grantedOnTicket(tx, ticket.id, input.type, input.currency);
    const total = grantTotal(grantedBefore, input);

    if (covers(limit, total)) {
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

    // The approver's limit must cover the whole sum on the ticket, as the requester's had to.
    const approver = await findApprover(tx, { ...request, amount: total.amount });
    if (!approver) {
      const sum = grantedBefore.amount > 0 ? ` (${total.amount} ${input.currency} on this ticket in all)` : "";
      throw new AppError(
        "no_approver",
        `Nobody's authority limit covers a ${input.type} of ${input.amount} ${input.currency}${sum}, so it cannot be granted or sent for approval.`,
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
      .values({ ticketId: ticket.id, resolutionId: r.id, approverId: approver.id, requestedAt: now, dueAt: new Date(now.getTime() + timeoutMs), grantedBefore })
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
          grantedBefore,
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
      grantedBefore,
    });
    return { ...r, approval: a };
  });
}

/** What the ticket already carries of a type in a currency: applied (also after approval) and pending grants, oldest first. */
async function grantedOnTicket(tx: Tx, ticketId: string, type: Resolution["type"], currency: string): Promise<GrantedBefore> {
  const rows = await tx
    .select({ id: resolutions.id, amount: resolutions.amount, status: resolutions.status, createdAt: resolutions.createdAt })
    .from(resolutions)
    .where(and(eq(resolutions.ticketId, ticketId), eq(resolutions.type, type), eq(resolutions.currency, currency), inArray(resolutions.status, ["applied", "pending_approval"])))
    .orderBy(asc(resolutions.createdAt), asc(resolutions.id));
  const sumOf = (status: string) => rows.filter((r) => r.status === status).reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0) / 100;
  const applied = sumOf("applied");
  const pending = sumOf("pending_approval");
  return {
    currency,
    amount: Math.round((applied + pending) * 100) / 100,
    applied,
    pending,
    grants: rows.map((r) => ({ resolutionId: r.id, amount: Number(r.amount), status: r.status as "applied" | "pending_approval", at: r.createdAt.toISOString() })),
  };
}
