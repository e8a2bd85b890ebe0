import { eq } from "drizzle-orm";
import { approvals, resolutions } from "../db/schema.js";
import { requireAgent } from "../policies/organisation.policy.js";
import type { CommandContext } from "./context.js";
import { lockApprovalForDecision, unscheduleApproval, type ApprovalWithResolution } from "./support/approvals.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * The assigned approver approves a resolution waiting for them: it is applied, the customer's timeline
 * shows what was granted, and the requester is told. An optional reason is kept on the approval.
 */
export async function approveResolution(ctx: CommandContext, approvalId: string, input: { reason?: string | undefined } = {}): Promise<ApprovalWithResolution> {
  const agent = requireAgent(ctx.actor, "decide approvals");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { approval } = await lockApprovalForDecision(tx, agent, approvalId);
    const reason = input.reason ?? null;
    const [decided] = await tx
      .update(approvals)
      .set({ status: "approved", reason, decidedAt: now })
      .where(eq(approvals.id, approval.id))
      .returning();
    const [applied] = await tx
      .update(resolutions)
      .set({ status: "applied", appliedAt: now })
      .where(eq(resolutions.id, approval.resolutionId))
      .returning();
    await unscheduleApproval(tx, approval.id);
    const r = applied!;
    await appendEvents(tx, agent, now, [
      { ticketId: r.ticketId, type: "approval.approved", visibility: "internal", data: { approvalId: approval.id, resolutionId: r.id, reason } },
      { ticketId: r.ticketId, type: "resolution.applied", visibility: "public", data: { resolutionId: r.id, type: r.type, amount: r.amount, currency: r.currency } },
    ]);
    await enqueue(tx, now, "approval.decided", {
      ticketId: r.ticketId,
      approvalId: approval.id,
      resolutionId: r.id,
      decision: "approved",
      approverId: agent.id,
      requestedById: r.requestedById,
      reason,
    });
    await enqueue(tx, now, "resolution.applied", { ticketId: r.ticketId, resolutionId: r.id, type: r.type, amount: r.amount, currency: r.currency });
    return { ...decided!, resolution: r };
  });
}
