import { z } from "zod";
import { authorizeOrganisation } from "../../policies/organisation.policy.js";
import { checkPolicyText } from "../../policy/check-policy.js";
import { policyJsonSchema } from "../../policy/policy-document.js";
import { exportPolicy, toYaml } from "../../policy/export-policy.js";
import { contextOf } from "../auth.plugin.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/plain"];

const PolicyQuery = z.object({ format: z.enum(["yaml", "json"]).default("yaml") });
const CheckResultDto = z
  .object({
    ok: z.boolean(),
    errors: z.array(z.object({ line: z.number().int(), column: z.number().int(), path: z.string(), message: z.string() })),
  })
  .meta({ id: "PolicyCheckResult" });

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
      authorizeOrganisation(ctx(req).actor, "read");
      const result = checkPolicyText(req.body);
      return result.ok ? { ok: true, errors: [] } : result;
    },
  });
}
