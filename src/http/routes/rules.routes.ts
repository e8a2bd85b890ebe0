import { createRule } from "../../commands/create-rule.js";
import { removeRule } from "../../commands/remove-rule.js";
import { updateRule } from "../../commands/update-rule.js";
import { RemovalDto } from "../../schemas/sla.schemas.js";
import type { EscalationRuleRow } from "../../db/schema.js";
import { evaluateRulesDryRun, evaluateTicketDryRun, getRule, listRules } from "../../queries/rule.queries.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { CreateRuleBody, EvaluateBody, EvaluateTicketBody, EvaluationDto, PathsDto, RuleDto, TicketEvaluationDto, UpdateRuleBody } from "../../schemas/rule.schemas.js";
import { policyPaths } from "../../queries/policy-paths.queries.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

const HOUR = 3_600_000;

const presentRule = (r: EscalationRuleRow) => ({
  ...r,
  triggers: r.triggers as ("ticket.created" | "message.received" | "ticket.updated" | "time")[],
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

/** The escalation matrix (admins write, staff read) and a dry run of it. */
export function ruleRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["escalation matrix"];

  app.post("/escalation-rules", {
    schema: { tags, summary: "Add a rule to the escalation matrix", body: CreateRuleBody, response: { 201: RuleDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentRule(await createRule(ctx(req), req.body))),
  });
  app.get("/escalation-rules", {
    schema: { tags, summary: "The rules in evaluation order", querystring: PageQuery, response: { 200: pageOf(RuleDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listRules(ctx(req), req.query), presentRule),
  });
  app.get("/escalation-rules/:id", {
    schema: { tags, summary: "One rule", params: IdParams, response: { 200: RuleDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentRule(await getRule(ctx(req), req.params.id)),
  });
  app.patch("/escalation-rules/:id", {
    schema: { tags, summary: "Change a rule", params: IdParams, body: UpdateRuleBody, response: { 200: RuleDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req) => presentRule(await updateRule(ctx(req), req.params.id, req.body)),
  });
  app.delete("/escalation-rules/:id", {
    schema: {
      tags,
      summary: "Remove a rule: deleted if it never fired, otherwise retired (active: false)",
      description: "As `policy apply` does: a rule that fired keeps its history and fires no more.",
      params: IdParams,
      response: { 200: RemovalDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => removeRule(ctx(req), req.params.id),
  });
  app.get("/policy/paths", {
    schema: { tags, summary: "The escalation paths as a graph (levels, teams, roles; rules, SLA steps, timeouts) for a flowchart", response: { 200: PathsDto, ...problems(401, 403) } },
    handler: async (req) => policyPaths(ctx(req)),
  });
  app.post("/policy/evaluate", {
    schema: {
      tags,
      summary: "Which rules a ticket would fire, and what they would do (nothing is written)",
      body: EvaluateBody,
      response: { 200: EvaluationDto, ...problems(400, 401, 403) },
    },
    handler: async (req) => {
      const t = req.body.ticket;
      const now = clock.now();
      return evaluateRulesDryRun(ctx(req), req.body.trigger, {
        ...t,
        text: [t.subject, t.description, ...t.messages].join(" "),
        customerContacts: 1 + t.messages.length,
        createdAt: new Date(now.getTime() - t.hoursSinceCreated * HOUR),
        updatedAt: new Date(now.getTime() - t.hoursSinceUpdated * HOUR),
        now,
      });
    },
  });
  app.post("/policy/evaluate-ticket", {
    schema: {
      tags,
      summary: "Which rules an existing ticket would fire now, and what they would do (nothing is written)",
      description: "The ticket is read as the engine reads it: its customer's tier and account value, its level, the customer's messages and its age.",
      body: EvaluateTicketBody,
      response: { 200: TicketEvaluationDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => evaluateTicketDryRun(ctx(req), req.body.trigger, req.body.number),
  });
}
