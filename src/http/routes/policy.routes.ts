import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { authorizeOrganisation } from "../../policies/organisation.policy.js";
import { applyPolicy } from "../../policy/apply-policy.js";
import { ApplyQuery, ApplyResultDto, CheckResultDto, PolicyQuery } from "../../schemas/policy.schemas.js";
import { checkPolicyText, formatPath, validatePolicy } from "../../policy/check-policy.js";
import { PolicyDocument, policyJsonSchema, type PolicyDocumentValue } from "../../policy/policy-document.js";
import { exportPolicy, policyEtag, toYaml } from "../../policy/export-policy.js";
import { contextOf } from "../auth.plugin.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/plain"];

/** The document in a PUT body: YAML text (errors with line numbers) or JSON (errors with paths). */
function documentOf(body: unknown): PolicyDocumentValue {
  if (typeof body === "string") {
    const result = checkPolicyText(body);
    if (result.ok) return result.document;
    throw new AppError(
      "policy_invalid",
      `The policy file has ${result.errors.length} error(s); nothing was changed. First: line ${result.errors[0]!.line}: ${result.errors[0]!.path}: ${result.errors[0]!.message}`,
      result.errors,
    );
  }
  const result = validatePolicy(body);
  if (result.ok) return result.document;
  const fields = result.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new AppError("policy_invalid", `The policy has ${fields.length} error(s); nothing was changed. First: ${fields[0]!.path}: ${fields[0]!.message}`, fields);
}
/**
 * Policy as code: the whole escalation policy as a document (staff read it), its JSON Schema for editors
 * and a check of a YAML file. Registered in its own plugin scope: the text body parser applies here only.
 */
export function policyRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["policy as code"];

  app.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.get("/policy", {
    schema: {
      tags,
      summary: "The escalation policy as YAML (or JSON with ?format=json), names in place of ids",
      querystring: PolicyQuery,
      // The YAML text, or with ?format=json the document as JSON (its schema: GET /policy/schema).
      response: { 200: z.union([z.string(), z.record(z.string(), z.unknown())]), ...problems(400, 401, 403) },
    },
    handler: async (req, reply) => {
      const doc = await exportPolicy(ctx(req));
      reply.header("etag", policyEtag(PolicyDocument.parse(doc)));
      if (req.query.format === "json") return reply.type("application/json").send(doc);
      return reply.type("application/yaml; charset=utf-8").send(toYaml(doc));
    },
  });
  app.get("/policy/schema", {
    // Public like the OpenAPI document: editors fetch it without credentials.
    config: { public: true },
    schema: { tags, summary: "The JSON Schema of a policy file, for editors" },
    handler: async (_req, reply) => reply.type("application/schema+json").send(policyJsonSchema()),
  });
  app.post("/policy/check", {
    schema: {
      tags,
      summary: "Check a policy file (YAML body): line-numbered errors, nothing is changed",
      body: z.string().max(2 * 1024 * 1024),
      response: { 200: CheckResultDto, ...problems(400, 401, 403) },
    },
    handler: async (req) => {
      authorizeOrganisation(ctx(req).actor, "read", "the policy");
      const result = checkPolicyText(req.body);
      return result.ok ? { ok: true, errors: [] } : result;
    },
  });
  app.put("/policy", {
    schema: {
      tags,
      summary: "Apply a policy document (YAML or JSON body): all or nothing; ?dryRun=true shows the changes only",
      description:
        "Makes the levels, teams, calendars, SLA policies, rules and role limits exactly those of the document, matched by name. " +
        "Send If-Match with the ETag of GET /policy to refuse the apply when someone changed the policy since. Removing what has " +
        "history (a team with tickets, an SLA policy that timed tickets, a rule that fired) is refused with 409; retire it with active: false.",
      querystring: ApplyQuery,
      body: z.union([z.string().max(2 * 1024 * 1024), z.record(z.string(), z.unknown())]),
      response: { 200: ApplyResultDto, ...problems(400, 401, 403, 409, 412, 422) },
    },
    handler: async (req, reply) => {
      const c = ctx(req);
      authorizeOrganisation(c.actor, "manage", "the policy (levels, teams, calendars, SLA policies, escalation rules and authority limits)");
      const ifMatch = req.headers["if-match"];
      const result = await applyPolicy(c, documentOf(req.body), { dryRun: req.query.dryRun, ...(ifMatch ? { ifMatch } : {}) });
      if (result.applied) reply.header("etag", result.etag);
      return result;
    },
  });
}
