import { createSlaPolicy } from "../../commands/create-sla-policy.js";
import { reapplySlaPolicies } from "../../commands/reapply-sla-policies.js";
import { updateSlaPolicy } from "../../commands/update-sla-policy.js";
import { getSlaPolicy, listSlaPolicies } from "../../queries/sla.queries.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { removeSlaPolicy } from "../../commands/remove-sla-policy.js";
import { CreateSlaPolicyBody, ReapplyQuery, ReapplyResultDto, RemovalDto, SlaPolicyDto, UpdateSlaPolicyBody } from "../../schemas/sla.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage, presentSlaPolicy } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** SLA policies (admins write, staff read) and their re-application to open tickets. */
export function slaPolicyRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["sla"];

  app.post("/sla-policies", {
    schema: {
      tags,
      summary: "Create an SLA policy",
      description: "Tickets opened from now on that match it get its clocks; open tickets take it when the policies are re-applied.",
      body: CreateSlaPolicyBody,
      response: { 201: SlaPolicyDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req, reply) => reply.code(201).send(presentSlaPolicy(await createSlaPolicy(ctx(req), req.body))),
  });
  app.get("/sla-policies", {
    schema: { tags, summary: "List SLA policies in match order (position, then name)", querystring: PageQuery, response: { 200: pageOf(SlaPolicyDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listSlaPolicies(ctx(req), req.query), presentSlaPolicy),
  });
  // Registered before /sla-policies/:id, though find-my-way prefers the static segment either way.
  app.post("/sla-policies/reapply", {
    schema: {
      tags,
      summary: "Re-apply the current SLA policies to every open ticket",
      description:
        "Each open ticket may match another policy; its running clocks take the new targets and calendar, keeping the working time already used. " +
        "With `policyId`, only the open tickets that policy times now (after changing its targets).",
      querystring: ReapplyQuery,
      response: { 200: ReapplyResultDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => reapplySlaPolicies(ctx(req), { policyId: req.query.policyId }),
  });
  app.get("/sla-policies/:id", {
    schema: { tags, summary: "Get an SLA policy", params: IdParams, response: { 200: SlaPolicyDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentSlaPolicy(await getSlaPolicy(ctx(req), req.params.id)),
  });
  app.patch("/sla-policies/:id", {
    schema: {
      tags,
      summary: "Change an SLA policy",
      description: "Bumps `version`. Applies to clocks started from now on; running clocks keep their targets until the policies are re-applied.",
      params: IdParams,
      body: UpdateSlaPolicyBody,
      response: { 200: SlaPolicyDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentSlaPolicy(await updateSlaPolicy(ctx(req), req.params.id, req.body)),
  });
  app.delete("/sla-policies/:id", {
    schema: {
      tags,
      summary: "Remove an SLA policy: deleted if it never timed a ticket, otherwise retired (active: false)",
      description: "As `policy apply` does: a policy with clocks keeps its history and stops matching new tickets.",
      params: IdParams,
      response: { 200: RemovalDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => removeSlaPolicy(ctx(req), req.params.id),
  });
}
