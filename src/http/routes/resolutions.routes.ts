import { z } from "zod";
import { createResolution } from "../../commands/create-resolution.js";
import { setRoleLimits } from "../../commands/set-role-limits.js";
import { listResolutions, listRoleLimits } from "../../queries/authority.queries.js";
import { CreateResolutionBody, ResolutionDto, RoleLimitDto, RoleLimitsBody } from "../../schemas/authority.schemas.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage, presentResolution } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Authority limits (role defaults) and the resolutions granted on tickets. */
export function resolutionRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);

  app.get("/authority-limits", {
    schema: {
      tags: ["approvals"],
      summary: "The role defaults of the authority limits",
      description: "What each role may grant per resolution type without approval. An agent's own limit for a type overrides their role's.",
      response: { 200: z.array(RoleLimitDto), ...problems(401, 403) },
    },
    handler: async (req) => listRoleLimits(ctx(req)),
  });
  app.put("/authority-limits", {
    schema: {
      tags: ["approvals"],
      summary: "Replace the role defaults of the authority limits (admins)",
      description: "The whole set: a role and type left out has no default any more.",
      body: RoleLimitsBody,
      response: { 200: z.array(RoleLimitDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => setRoleLimits(ctx(req), req.body),
  });

  app.post("/tickets/:id/resolutions", {
    schema: {
      tags: ["approvals"],
      summary: "Grant a refund, credit, replacement or goodwill gesture",
      description:
        "Within your authority limit it is applied (status `applied`); above it, it waits (status `pending_approval`) for the lowest-ranked person whose limit covers it. 422 `no_approver` when nobody's does.",
      params: IdParams,
      body: CreateResolutionBody,
      response: { 201: ResolutionDto, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (req, reply) =>
      reply
        .code(201)
        .send(presentResolution(await createResolution(ctx(req), req.params.id, req.body, { approvalTimeoutMinutes: config.approvalTimeoutMinutes }))),
  });
  app.get("/tickets/:id/resolutions", {
    schema: {
      tags: ["approvals"],
      summary: "List a ticket's resolutions with their approvals, oldest first (staff)",
      params: IdParams,
      querystring: PageQuery,
      response: { 200: pageOf(ResolutionDto), ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentPage(await listResolutions(ctx(req), req.params.id, req.query), presentResolution),
  });
}
