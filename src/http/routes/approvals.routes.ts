import { approveResolution } from "../../commands/approve-resolution.js";
import { denyResolution } from "../../commands/deny-resolution.js";
import { getApproval, listApprovals } from "../../queries/authority.queries.js";
import { ApprovalDto, ApprovalListQuery, ApproveBody, DenyBody } from "../../schemas/authority.schemas.js";
import { IdParams, pageOf } from "../../schemas/common.js";
import { contextOf } from "../auth.plugin.js";
import { presentApproval, presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Approvals of resolutions above the requester's authority: my queue, approve, deny. */
export function approvalRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);

  app.get("/approvals", {
    schema: {
      tags: ["approvals"],
      summary: "Approvals assigned to you, oldest request first",
      description: "Filter by `status`. Managers and admins may pass `approverId` to see someone else's.",
      querystring: ApprovalListQuery,
      response: { 200: pageOf(ApprovalDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => presentPage(await listApprovals(ctx(req), req.query), presentApproval),
  });
  app.get("/approvals/:id", {
    schema: { tags: ["approvals"], summary: "Get an approval (its approver, its requester, managers and admins)", params: IdParams, response: { 200: ApprovalDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentApproval(await getApproval(ctx(req), req.params.id)),
  });
  app.post("/approvals/:id/approve", {
    schema: {
      tags: ["approvals"],
      summary: "Approve: the resolution is applied",
      description: "Only the assigned approver. The reason is optional.",
      params: IdParams,
      body: ApproveBody,
      response: { 200: ApprovalDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentApproval(await approveResolution(ctx(req), req.params.id, req.body ?? {})),
  });
  app.post("/approvals/:id/deny", {
    schema: {
      tags: ["approvals"],
      summary: "Deny, with a reason: nothing is granted",
      description: "Only the assigned approver.",
      params: IdParams,
      body: DenyBody,
      response: { 200: ApprovalDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentApproval(await denyResolution(ctx(req), req.params.id, req.body)),
  });
}
