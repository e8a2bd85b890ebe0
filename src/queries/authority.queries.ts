import { and, eq, type SQL } from "drizzle-orm";
import { approvals, resolutions, roleLimits } from "../db/schema.js";
import type { CommandContext } from "../commands/context.js";
import type { ResolutionWithApproval } from "../commands/create-resolution.js";
import { loadApproval, type ApprovalWithResolution } from "../commands/support/approvals.js";
import { sortRoleLimits, type RoleLimit } from "../domain/authority.js";
import { notFound } from "../domain/errors.js";
import { authorizeApprovalList, canSeeApproval } from "../policies/approval.policy.js";
import { authorizeOrganisation, requireAgent } from "../policies/organisation.policy.js";
import type { ApprovalListInput } from "../schemas/authority.schemas.js";
import { pageInOrder, type Page } from "./cursor.js";
import { getTicket } from "./ticket.queries.js";

type PageInput = { limit: number; cursor?: string | undefined };

/** The role defaults of the authority limits (staff read them). */
export async function listRoleLimits(ctx: CommandContext): Promise<RoleLimit[]> {
  authorizeOrganisation(ctx.actor, "read", "authority limits");
  return sortRoleLimits(await ctx.db.select().from(roleLimits));
}

/** Approvals assigned to the caller (or, for managers and admins, to `approverId`), oldest request first. */
export async function listApprovals(ctx: CommandContext, q: ApprovalListInput): Promise<Page<ApprovalWithResolution>> {
  const agent = requireAgent(ctx.actor, "list approvals");
  const approverId = q.approverId ?? agent.id;
  authorizeApprovalList(agent, approverId);
  return pageInOrder(
    q,
    "tu",
    [approvals.requestedAt, approvals.id],
    async (after, order, limit) => {
      const filters: (SQL | undefined)[] = [eq(approvals.approverId, approverId), q.status ? eq(approvals.status, q.status) : undefined, after];
      const rows = await ctx.db
        .select({ approval: approvals, resolution: resolutions })
        .from(approvals)
        .innerJoin(resolutions, eq(resolutions.id, approvals.resolutionId))
        .where(and(...filters))
        .orderBy(...order)
        .limit(limit);
      return rows.map((r) => ({ ...r.approval, resolution: r.resolution }));
    },
    (a) => [a.requestedAt, a.id],
  );
}

/** One approval, for its approver, its requester, managers and admins; anyone else is told it does not exist. */
export async function getApproval(ctx: CommandContext, approvalId: string): Promise<ApprovalWithResolution> {
  requireAgent(ctx.actor, "see approvals");
  const approval = await loadApproval(ctx.db, approvalId);
  if (!approval || !canSeeApproval(ctx.actor, approval)) throw notFound("approval_not_found", "Approval", approvalId);
  return approval;
}

/** A ticket's resolutions with their approvals, oldest first. Staff only: they carry internal notes. */
export async function listResolutions(ctx: CommandContext, ticketId: string, q: PageInput): Promise<Page<ResolutionWithApproval>> {
  requireAgent(ctx.actor, "see a ticket's resolutions");
  await getTicket(ctx, ticketId);
  return pageInOrder(
    q,
    "tu",
    [resolutions.createdAt, resolutions.id],
    async (after, order, limit) => {
      const rows = await ctx.db
        .select({ resolution: resolutions, approval: approvals })
        .from(resolutions)
        .leftJoin(approvals, eq(approvals.resolutionId, resolutions.id))
        .where(and(eq(resolutions.ticketId, ticketId), after))
        .orderBy(...order)
        .limit(limit);
      return rows.map((r) => ({ ...r.resolution, approval: r.approval }));
    },
    (r) => [r.createdAt, r.id],
  );
}
