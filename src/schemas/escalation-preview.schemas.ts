import { z } from "zod";
import { ESCALATION_KINDS, ESCALATION_REASONS, SLA_METRICS, TICKET_STATUSES } from "../domain/vocabulary.js";
import { IsoDateTime, Uuid } from "./common.js";

const Named = z.object({ id: Uuid, name: z.string() });

/**
 * What an escalation would do, found by running the real escalation and rolling it back: where the ticket
 * goes, the SLA policy and clocks it would then have, the timed steps that would wait on it and the rules
 * that would fire. Nothing of it is written.
 */
export const EscalationPreviewDto = z
  .object({
    kind: z.enum(ESCALATION_KINDS),
    reason: z.enum(ESCALATION_REASONS),
    from: z.object({ level: Named, team: Named, agent: Named.nullable() }),
    to: z.object({ level: Named, team: Named, agent: Named.nullable() }),
    /** Why the system chose this team when none was named ("owns category printer; lowest open load 3"). */
    why: z.string().nullable(),
    /** The escalation still active on the ticket that this one would close as escalated further. */
    supersedesEscalationId: Uuid.nullable(),
    status: z.object({ from: z.enum(TICKET_STATUSES), to: z.enum(TICKET_STATUSES) }),
    slaPolicy: z.object({ from: Named.nullable(), to: Named.nullable() }),
    /** The ticket's live SLA clocks after the escalation. */
    clocks: z.array(z.object({ metric: z.enum(SLA_METRICS), state: z.string(), targetMs: z.number().int(), dueAt: IsoDateTime.nullable() })),
    /** Timers that would be pending on the ticket after it (acknowledgement timeout, SLA warnings and steps, time rules), soonest first. */
    timers: z.array(
      z.object({
        stepKey: z.string(),
        type: z.string().describe("ack, warning, escalate, breach or rule"),
        dueAt: IsoDateTime,
        metric: z.string().nullable(),
        ruleName: z.string().nullable(),
        isNew: z.boolean().describe("false when the timer was already pending before the escalation (possibly at another time)"),
      }),
    ),
    /** Escalation rules that would fire as part of the escalation. */
    rulesFired: z.array(z.object({ ruleId: Uuid, name: z.string() })),
    /** The timeline events the escalation would append, by type. */
    events: z.array(z.string()),
  })
  .meta({ id: "EscalationPreview" });

export type EscalationPreview = z.infer<typeof EscalationPreviewDto>;
