import { z } from "zod";
import { IsoDateTime, PageQuery, Uuid } from "./common.js";

export const ESCALATION_REQUEST_STATUSES = ["open", "accepted", "declined"] as const;

/** Why the customer wants their ticket escalated: a sentence, not a word. */
export const CreateEscalationRequestBody = z.object({
  reason: z.string().trim().min(10, "say in at least 10 characters why the ticket needs escalating").max(2000),
});

export const AcceptEscalationRequestBody = z.object({
  /** Shown to the customer as the answer, and added to the handover note after the customer's reason. */
  note: z.string().trim().min(1).max(10_000).optional(),
  /** A team on a higher level, or a specialist team; by default the next level up. */
  toTeamId: Uuid.optional(),
});

export const DeclineEscalationRequestBody = z.object({
  /** Shown to the customer: why the ticket stays where it is. */
  reason: z.string().trim().min(10, "tell the customer in at least 10 characters why").max(10_000),
});

export const EscalationRequestListQuery = PageQuery.extend({
  status: z.enum(ESCALATION_REQUEST_STATUSES).optional(),
});

export const EscalationRequestDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    customerId: Uuid,
    reason: z.string(),
    status: z.enum(ESCALATION_REQUEST_STATUSES),
    decidedById: Uuid.nullable(),
    decidedAt: IsoDateTime.nullable(),
    answer: z.string().nullable(),
    escalationId: Uuid.nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "EscalationRequest" });

export type CreateEscalationRequestInput = z.infer<typeof CreateEscalationRequestBody>;
export type AcceptEscalationRequestInput = z.infer<typeof AcceptEscalationRequestBody>;
export type DeclineEscalationRequestInput = z.infer<typeof DeclineEscalationRequestBody>;
export type EscalationRequestListInput = z.infer<typeof EscalationRequestListQuery>;
