import { z } from "zod";
import { isIsoCurrency } from "../domain/authority.js";
import { AGENT_ROLES, RESOLUTION_TYPES } from "../domain/vocabulary.js";
import { IsoDateTime, PageQuery, Uuid } from "./common.js";

/** The largest amount numeric(14, 2) holds. */
const MAX_AMOUNT = 999_999_999_999.99;
const hasCents = (v: number) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6;

/** An amount of money: at most two decimals and what numeric(14, 2) holds. */
const Amount = z
  .number()
  .max(MAX_AMOUNT)
  .refine(hasCents, { message: "must have at most 2 decimal places" });

/** An ISO 4217 currency code such as EUR; lower case is accepted and stored upper case. */
export const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "must be a 3-letter ISO 4217 currency code such as EUR")
  .refine(isIsoCurrency, { message: "is not an ISO 4217 currency code", abort: true });

/** A limit: up to how much may be granted without approval. */
export const Limit = z.object({ amount: Amount.min(0, "must not be negative"), currency: Currency });
const LimitDto = z.object({ amount: z.number(), currency: z.string() });

/** An agent's own limits per resolution type (a type left out falls back to the role's limit). */
export const AgentLimitsBody = z.partialRecord(z.enum(RESOLUTION_TYPES), Limit);
export const AgentLimitsDto = z.partialRecord(z.enum(RESOLUTION_TYPES), LimitDto);

export const RoleLimitBody = z.object({ role: z.enum(AGENT_ROLES), type: z.enum(RESOLUTION_TYPES) }).extend(Limit.shape);
export const RoleLimitDto = z
  .object({ role: z.enum(AGENT_ROLES), type: z.enum(RESOLUTION_TYPES), amount: z.number(), currency: z.string() })
  .meta({ id: "RoleLimit" });

/** The whole set of role defaults; PUT replaces it. One entry per role and type. */
export const RoleLimitsBody = z
  .array(RoleLimitBody)
  .max(AGENT_ROLES.length * RESOLUTION_TYPES.length)
  .superRefine((limits, ctx) => {
    const seen = new Set<string>();
    limits.forEach((l, i) => {
      const key = `${l.role}/${l.type}`;
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [i, "type"], message: `${l.role} already has a ${l.type} limit in this list` });
      seen.add(key);
    });
  });

export const CreateResolutionBody = z.object({
  type: z.enum(RESOLUTION_TYPES),
  amount: Amount.positive("must be more than 0"),
  currency: Currency,
  /** Why: internal, never shown to the customer. */
  note: z.string().trim().min(1).max(5000),
});

const RESOLUTION_STATUSES = ["applied", "pending_approval", "denied"] as const;
const APPROVAL_STATUSES = ["pending", "approved", "denied"] as const;

const ResolutionFields = z.object({
  id: Uuid,
  ticketId: Uuid,
  type: z.enum(RESOLUTION_TYPES),
  amount: z.number(),
  currency: z.string(),
  note: z.string(),
  status: z.enum(RESOLUTION_STATUSES),
  requestedById: Uuid,
  createdAt: IsoDateTime,
  appliedAt: IsoDateTime.nullable(),
});

const ApprovalFields = z.object({
  id: Uuid,
  ticketId: Uuid,
  resolutionId: Uuid,
  approverId: Uuid,
  status: z.enum(APPROVAL_STATUSES),
  reason: z.string().nullable(),
  requestedAt: IsoDateTime,
  decidedAt: IsoDateTime.nullable(),
  /** If still undecided then, the request goes to the next approver up. */
  dueAt: IsoDateTime.nullable(),
  /**
   * What had been granted on the ticket, of this type and currency, when approval was asked: applied
   * (directly or approved) and pending. Limits apply to that sum plus this request. Null on older approvals.
   */
  grantedBefore: z
    .object({
      currency: z.string(),
      amount: z.number(),
      applied: z.number(),
      pending: z.number(),
      grants: z.array(z.object({ resolutionId: Uuid, amount: z.number(), status: z.enum(["applied", "pending_approval"]), at: IsoDateTime })),
    })
    .nullable(),
});

export const ResolutionDto = ResolutionFields.extend({
  /** The approval it waits for or got; null when it was within the requester's limit. */
  approval: ApprovalFields.nullable(),
}).meta({ id: "Resolution" });

export const ApprovalDto = ApprovalFields.extend({ resolution: ResolutionFields }).meta({ id: "Approval" });

export const ApprovalListQuery = PageQuery.extend({
  status: z.enum(APPROVAL_STATUSES).optional(),
  /** Whose approvals: yours unless you are a manager or admin. */
  approverId: Uuid.optional(),
});

const Reason = z.string().trim().min(1).max(5000);
/** Approving may say why; the body may be left out (Fastify then hands over null). */
export const ApproveBody = z.object({ reason: Reason.optional() }).nullish();
/** Denying must say why. */
export const DenyBody = z.object({ reason: Reason });

export type AgentLimitsInput = z.infer<typeof AgentLimitsBody>;
export type RoleLimitsInput = z.infer<typeof RoleLimitsBody>;
export type CreateResolutionInput = z.infer<typeof CreateResolutionBody>;
export type ApprovalListInput = z.infer<typeof ApprovalListQuery>;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];
