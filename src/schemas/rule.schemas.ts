import { z } from "zod";
import { CHANNELS, CUSTOMER_TIERS, ESCALATION_REASONS, PRIORITIES, RULE_TRIGGERS, SLA_METRICS, TICKET_STATUSES, AGENT_ROLES } from "../domain/vocabulary.js";
import { IsoDateTime, Name, Uuid } from "./common.js";
import { IsoDuration } from "./sla.schemas.js";

const Keywords = z.array(z.string().trim().min(1).max(100)).min(1).max(50);

/** One condition of a rule: a field of the ticket, its customer or the triggering message, an operator, a value. */
export const RuleCondition = z.discriminatedUnion("field", [
  z.object({ field: z.literal("category"), op: z.enum(["in", "not_in"]), value: z.array(z.string().trim().min(1).max(100)).min(1) }),
  z.object({ field: z.literal("priority"), op: z.enum(["in", "not_in"]), value: z.array(z.enum(PRIORITIES)).min(1) }),
  z.object({ field: z.literal("channel"), op: z.enum(["in", "not_in"]), value: z.array(z.enum(CHANNELS)).min(1) }),
  z.object({ field: z.literal("status"), op: z.enum(["in", "not_in"]), value: z.array(z.enum(TICKET_STATUSES)).min(1) }),
  z.object({ field: z.literal("customerTier"), op: z.enum(["in", "not_in"]), value: z.array(z.enum(CUSTOMER_TIERS)).min(1) }),
  z.object({ field: z.literal("levelRank"), op: z.enum(["eq", "gte", "lte"]), value: z.number().int() }),
  z.object({ field: z.literal("tags"), op: z.enum(["has_any", "has_none"]), value: z.array(z.string().trim().min(1).max(60)).min(1) }),
  /** Keywords or phrases, matched case-insensitively as whole words in the subject, description and customer messages. */
  z.object({ field: z.literal("text"), op: z.enum(["contains_any", "contains_none"]), value: Keywords }),
  z.object({ field: z.literal("annualValue"), op: z.enum(["gte", "lte"]), value: z.number().nonnegative() }),
  z.object({ field: z.literal("reopenCount"), op: z.enum(["gte", "lte", "eq"]), value: z.number().int().nonnegative() }),
  /** Messages the customer has written on the ticket, its description included. */
  z.object({ field: z.literal("customerContacts"), op: z.enum(["gte", "lte"]), value: z.number().int().nonnegative() }),
  z.object({ field: z.literal("hoursSinceCreated"), op: z.enum(["gte", "lte"]), value: z.number().nonnegative() }),
  z.object({ field: z.literal("hoursSinceUpdated"), op: z.enum(["gte", "lte"]), value: z.number().nonnegative() }),
]);
export type RuleConditionSpec = z.infer<typeof RuleCondition>;

export const RuleAction = z.discriminatedUnion("type", [
  /** Move the ticket to a team (and its level) without an escalation record: routing, not escalating. */
  z.object({ type: z.literal("route"), teamId: Uuid, /** Then assign the most suitable agent of that team. */ assign: z.boolean().default(false) }),
  z.object({ type: z.literal("set_priority"), priority: z.enum(PRIORITIES) }),
  z.object({ type: z.literal("add_tags"), tags: z.array(z.string().trim().min(1).max(60)).min(1).max(20) }),
  /** An escalation record: functional to a specialist team, or hierarchical to a named higher team or the next level. */
  z.object({ type: z.literal("escalate"), kind: z.enum(["functional", "hierarchical"]), teamId: Uuid.optional(), reason: z.enum(ESCALATION_REASONS), assign: z.boolean().default(false) }),
  z.object({ type: z.literal("notify"), role: z.enum(AGENT_ROLES) }),
  /** The escalation this rule creates must be acknowledged within this, or it climbs one more level. */
  z.object({ type: z.literal("require_ack"), within: IsoDuration }),
]);
export type RuleActionSpec = z.infer<typeof RuleAction>;

const ruleFields = {
  name: Name,
  position: z.number().int().min(0).max(100_000),
  active: z.boolean(),
  triggers: z.array(z.enum(RULE_TRIGGERS)).min(1),
  match: z.enum(["all", "any"]),
  conditions: z.array(RuleCondition).max(30),
  actions: z.array(RuleAction).min(1).max(20),
  stopProcessing: z.boolean(),
  /** Fire at most once per ticket; false: once per triggering change for as long as the conditions hold. */
  oncePerTicket: z.boolean(),
};

export const CreateRuleBody = z
  .object({
    ...ruleFields,
    position: ruleFields.position.default(100),
    active: ruleFields.active.default(true),
    triggers: ruleFields.triggers.default(["ticket.created", "message.received", "ticket.updated"]),
    match: ruleFields.match.default("all"),
    stopProcessing: ruleFields.stopProcessing.default(false),
    oncePerTicket: ruleFields.oncePerTicket.default(true),
  })
  .refine((r) => r.actions.filter((a) => a.type === "escalate").length <= 1, { message: "a rule escalates at most once", path: ["actions"] })
  .refine((r) => !r.actions.some((a) => a.type === "require_ack") || r.actions.some((a) => a.type === "escalate"), {
    message: "require_ack needs an escalate action in the same rule",
    path: ["actions"],
  });
export const UpdateRuleBody = z
  .object(ruleFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const RuleDto = z
  .object({
    id: Uuid,
    ...ruleFields,
    conditions: z.array(z.record(z.string(), z.unknown())),
    actions: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: "EscalationRule" });

export type CreateRuleInput = z.infer<typeof CreateRuleBody>;
export type UpdateRuleInput = z.infer<typeof UpdateRuleBody>;

/** A ticket as the matrix sees it, for `POST /policy/evaluate` (nothing is written). */
export const EvaluateBody = z.object({
  trigger: z.enum(RULE_TRIGGERS).default("ticket.created"),
  ticket: z.object({
    subject: z.string().max(300).default(""),
    description: z.string().max(100_000).default(""),
    /** Customer messages so far, besides the description. */
    messages: z.array(z.string().max(100_000)).max(200).default([]),
    category: z.string().max(100).nullable().default(null),
    priority: z.enum(PRIORITIES).default("normal"),
    channel: z.enum(CHANNELS).default("email"),
    status: z.enum(TICKET_STATUSES).default("new"),
    customerTier: z.enum(CUSTOMER_TIERS).default("standard"),
    levelRank: z.number().int().default(1),
    tags: z.array(z.string().max(60)).max(30).default([]),
    annualValue: z.number().nonnegative().nullable().default(null),
    reopenCount: z.number().int().nonnegative().default(0),
    hoursSinceCreated: z.number().nonnegative().default(0),
    hoursSinceUpdated: z.number().nonnegative().default(0),
  }),
});
export const EvaluationDto = z.object({
  trigger: z.enum(RULE_TRIGGERS),
  matched: z.array(
    z.object({
      ruleId: Uuid,
      rule: z.string(),
      actions: z.array(z.record(z.string(), z.unknown())),
      stopsProcessing: z.boolean(),
      /** Each keyword of the rule that matched: the words of the text it matched, as the exact phrase or by English word stem. */
      keywords: z.array(z.object({ keyword: z.string(), matched: z.string(), by: z.enum(["phrase", "stem"]) })),
    }),
  ),
});

/** `POST /policy/evaluate-ticket`: a dry run on an existing ticket, as it is now (nothing is written). */
export const EvaluateTicketBody = z.object({
  number: z.number().int().min(1).max(2_147_483_647).describe("the ticket's number"),
  trigger: z.enum(RULE_TRIGGERS).default("ticket.updated"),
});
export const TicketEvaluationDto = EvaluationDto.extend({
  ticket: z.object({ id: Uuid, number: z.number().int(), subject: z.string() }),
}).meta({ id: "TicketEvaluation" });
export type EvaluateTicketInput = z.infer<typeof EvaluateTicketBody>;

export const PathsDto = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(["entry", "level", "team", "role", "next_level", "sla_policy"]),
      label: z.string(),
      levelId: Uuid.optional(),
      rank: z.number().int().optional(),
    }),
  ),
  edges: z.array(
    z.object({
      from: z.string(),
      to: z.string(),
      kind: z.enum(["intake", "on_level", "next_level", "rule", "sla_step", "ack_timeout"]),
      label: z.string(),
      detail: z.string().optional(),
      /** The rule an edge of kind `rule` draws (the flowchart links to it). */
      ruleId: Uuid.optional(),
      /** The SLA policy an `sla_step` or `ack_timeout` edge belongs to. */
      policyId: Uuid.optional(),
      /** An `sla_step`: the clock whose breach starts it, and when after the breach it fires (ISO 8601 durations). */
      metric: z.enum(SLA_METRICS).optional(),
      after: z.string().optional(),
      repeatEvery: z.string().optional(),
      maxRepeats: z.number().int().optional(),
      /** An `sla_step`: the policy's target for that clock at each priority it sets one for. */
      targets: z.object({ low: z.string().optional(), normal: z.string().optional(), high: z.string().optional(), urgent: z.string().optional() }).optional(),
      /** An `ack_timeout`: how long an escalation may stay unacknowledged. */
      timeout: z.string().optional(),
    }),
  ),
});
