import { eq } from "drizzle-orm";
import { approvals, resolutions } from "../db/schema.js";
import { requireAgent } from "../policies/organisation.policy.js";
import type { CommandContext } from "./context.js";
import { lockApprovalForDecision, unscheduleApproval, type ApprovalWithResolution } from "./support/approvals.js";
import { appendEvents, enqueue } from "./support/timeline.js";

/**
 * The assigned approver denies a resolution waiting for them, saying why: the resolution is marked
 * denied, nothing is granted, and the requester is told the reason. The customer's timeline shows nothing
 * (what to tell the customer is the agent's reply).
 */
export async function denyResolution(ctx: CommandContext, approvalId: string, input: { reason: string }): Promise<ApprovalWithResolution> {
  const agent = requireAgent(ctx.actor, "decide approvals");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const { approval } = await lockApprovalForDecision(tx, agent, approvalId);
    const [decided] = await tx
      .update(approvals)
      .set({ status: "denied", reason: input.reason, decidedAt: now })
      .where(eq(approvals.id, approval.id))
      .returning();
    const [denied] = await tx.update(resolutions).set({ status: "denied" }).where(eq(resolutions.id, approval.resolutionId)).returning();
    await unscheduleApproval(tx, approval.id);
    const r = denied!;
    await appendEvents(tx, agent, now, [
      {
        ticketId: r.ticketId,
        type: "approval.denied",
        visibility: "internal",
        data: { approvalId: approval.id, resolutionId: r.id, type: r.type, amount: r.amount, currency: r.currency, reason: input.reason },
      },
    ]);
    await enqueue(tx, now, "approval.decided", {
      ticketId: r.ticketId,
      approvalId: approval.id,
      resolutionId: r.id,
      decision: "denied",
      approverId: agent.id,
      requestedById: r.requestedById,
      reason: input.reason,
    });
    return { ...decided!, resolution: r };
  });
}
