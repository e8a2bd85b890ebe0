import { z } from "zod";
import { isoDurationMs } from "../domain/sla/duration.js";
import { AGENT_ROLES, CHANNELS, CLOCK_STATES, CUSTOMER_TIERS, PRIORITIES, SLA_METRICS, TICKET_STATUSES } from "../domain/vocabulary.js";
import { IsoDateTime, Name, Uuid } from "./common.js";

/** The longest duration accepted: a year of working time. Longer ones would only make calendars walk for ages. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Why "PT0.0001S" or "PT0.0015S" is refused rather than rounded (to zero, or to 1 ms). */
export const SUB_MILLISECOND_MESSAGE = "durations are counted in whole milliseconds: at most three decimals of a second (PT0.001S is the shortest)";

/**
 * An ISO 8601 duration of working time, e.g. "PT4H": not negative, whole milliseconds (clocks store
 * integers) and at most P366D.
 */
export const IsoDuration = z
  .string()
  .max(40)
  .refine((s) => isoDurationMs(s) !== null, { message: "must be an ISO 8601 duration such as PT30M, PT4H or P2D (no months or years)", abort: true })
  .refine((s) => (isoDurationMs(s) ?? 0) >= 0, { message: "must not be negative", abort: true })
  .refine((s) => Number.isInteger(isoDurationMs(s)), { message: SUB_MILLISECOND_MESSAGE, abort: true })
  .refine((s) => (isoDurationMs(s) ?? 0) <= MAX_DURATION_MS, { message: "must be at most P366D", abort: true });
const PositiveDuration = IsoDuration.refine((s) => (isoDurationMs(s) ?? 0) > 0, { message: "must be longer than zero" });

const PerPriority = z.object({
  low: PositiveDuration.optional(),
  normal: PositiveDuration.optional(),
  high: PositiveDuration.optional(),
  urgent: PositiveDuration.optional(),
});

export const SlaTargets = z
  .object({
    first_response: PerPriority.optional(),
    next_response: PerPriority.optional(),
    periodic_update: PerPriority.optional(),
    resolution: PerPriority.optional(),
  })
  .strict();

export const SlaConditions = z
  .object({
    priorities: z.array(z.enum(PRIORITIES)).optional(),
    customerTiers: z.array(z.enum(CUSTOMER_TIERS)).optional(),
    categories: z.array(z.string().trim().min(1).max(100)).optional(),
    channels: z.array(z.enum(CHANNELS)).optional(),
    teamIds: z.array(Uuid).optional(),
  })
  .strict();

/** Where an automatic escalation goes: one level up, a named team, or an agent of a role. */
export const EscalationTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("next_level") }),
  z.object({ kind: z.literal("team"), teamId: Uuid }),
  z.object({ kind: z.literal("role"), role: z.enum(AGENT_ROLES).exclude(["agent"]) }),
]);

const WarningStep = z
  .object({
    type: z.literal("warning"),
    metric: z.enum(SLA_METRICS),
    /** Warn when this share of the target has been used… */
    atPercent: z.number().int().min(1).max(99).optional(),
    /** …or this long before the due time. */
    before: PositiveDuration.optional(),
  })
  .refine((s) => (s.atPercent === undefined) !== (s.before === undefined), { message: "a warning has either atPercent or before" });

const EscalateStep = z.object({
  type: z.literal("escalate"),
  metric: z.enum(SLA_METRICS),
  /** Working time after the breach (PT0S: at the breach). */
  after: IsoDuration.default("PT0S"),
  to: EscalationTarget.default({ kind: "next_level" }),
  raisePriority: z.boolean().default(false),
  /** Climb again every so long while the target stays missed… */
  repeatEvery: PositiveDuration.optional(),
  /** …at most this many times in all (the first firing included). */
  maxRepeats: z.number().int().min(1).max(10).default(3),
});

// Told apart by `type`, so an error inside a step is reported at its field, with its own message.
export const SlaStep = z.discriminatedUnion("type", [WarningStep, EscalateStep]);
export type SlaStepSpec = z.infer<typeof SlaStep>;

const policyFields = {
  name: Name,
  position: z.number().int().min(0).max(100_000),
  active: z.boolean(),
  conditions: SlaConditions,
  calendarId: Uuid.nullable(),
  pauseStatuses: z.array(z.enum(TICKET_STATUSES).exclude(["resolved", "closed"])),
  targets: SlaTargets,
  steps: z.array(SlaStep).max(50),
  /** An escalation not acknowledged within this climbs one more level. */
  ackTimeout: PositiveDuration.nullable(),
  /**
   * Whether resolving or closing a ticket counts as the response (and update) still owed to the customer:
   * the first or next response and the periodic update are then met; otherwise they are cancelled.
   */
  resolutionCountsAsResponse: z.boolean(),
};

export const CreateSlaPolicyBody = z.object({
  ...policyFields,
  position: policyFields.position.default(100),
  active: policyFields.active.default(true),
  conditions: policyFields.conditions.default({}),
  calendarId: policyFields.calendarId.default(null),
  pauseStatuses: policyFields.pauseStatuses.default(["pending", "on_hold"]),
  steps: policyFields.steps.default([]),
  ackTimeout: policyFields.ackTimeout.default(null),
  resolutionCountsAsResponse: policyFields.resolutionCountsAsResponse.default(false),
});
export const UpdateSlaPolicyBody = z
  .object(policyFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const SlaPolicyDto = z
  .object({
    id: Uuid,
    ...policyFields,
    steps: z.array(z.record(z.string(), z.unknown())),
    version: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: "SlaPolicy" });

export const ClockDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    policyId: Uuid,
    metric: z.enum(SLA_METRICS),
    cycle: z.number().int(),
    state: z.enum(CLOCK_STATES),
    isPaused: z.boolean(),
    targetMs: z.number().int(),
    elapsedMs: z.number().int(),
    businessRemainingMs: z
      .number()
      .int()
      .optional()
      .describe("working time left to the target in the policy's calendar, negative once past it (GET /tickets/{id}/clocks)"),
    isOutsideHours: z.boolean().optional().describe("a running clock whose calendar is closed now, so it counts no time until business hours resume"),
    startedAt: IsoDateTime,
    dueAt: IsoDateTime.nullable(),
    breachedAt: IsoDateTime.nullable(),
    stoppedAt: IsoDateTime.nullable(),
    pauses: z.array(z.object({ from: z.string(), to: z.string().nullable() })),
  })
  .meta({ id: "SlaClock" });

export type CreateSlaPolicyInput = z.infer<typeof CreateSlaPolicyBody>;
export type UpdateSlaPolicyInput = z.infer<typeof UpdateSlaPolicyBody>;

/** A ticket's clocks, oldest first (not paged: a ticket has a handful). */
export const ClockListDto = z.object({ data: z.array(ClockDto) });

/** What re-applying the policies did: the number of open tickets it went through. */
export const ReapplyQuery = z.object({ policyId: Uuid.optional().describe("only the open tickets this policy times now") });
export const ReapplyResultDto = z.object({ tickets: z.number().int() }).meta({ id: "SlaReapplyResult" });

/** What DELETE of an SLA policy or rule did: deleted one with no history, or retired one with history. */
export const RemovalDto = z
  .object({
    id: Uuid,
    outcome: z.enum(["deleted", "retired"]).describe("retired: kept with active: false because tickets' history refers to it"),
  })
  .meta({ id: "Removal" });
