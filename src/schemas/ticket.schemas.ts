import { z } from "zod";
import {
  ACTOR_TYPES,
  CHANNELS,
  ESCALATION_KINDS,
  ESCALATION_OUTCOMES,
  ESCALATION_REASONS,
  ESCALATION_STATUSES,
  EVENT_VISIBILITIES,
  MESSAGE_KINDS,
  PRIORITIES,
  TICKET_STATUSES,
} from "../domain/vocabulary.js";
import { Email, IsoDateTime, Name, PageQuery, Problem, Uuid } from "./common.js";

const Tag = z.string().trim().min(1).max(60);
const Category = z.string().trim().min(1).max(100);

export const CreateTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(300),
    description: z.string().trim().min(1).max(100_000),
    channel: z.enum(CHANNELS),
    priority: z.enum(PRIORITIES).default("normal"),
    category: Category.optional(),
    customer: z.object({ email: Email, name: Name.optional() }).optional(),
    customerId: Uuid.optional(),
    tags: z.array(Tag).max(30).default([]),
  })
  .refine((b) => !(b.customer && b.customerId), {
    message: "give either customer or customerId, not both",
    path: ["customerId"],
  });

export const UpdateTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(300).optional(),
    status: z.enum(TICKET_STATUSES).optional(),
    priority: z.enum(PRIORITIES).optional(),
    category: Category.nullable().optional(),
    tags: z.array(Tag).max(30).optional(),
    assigneeId: Uuid.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const TicketDto = z
  .object({
    id: Uuid,
    number: z.number().int(),
    subject: z.string(),
    description: z.string(),
    descriptionHtml: z.string().nullable().describe("the sanitised HTML of the first mail of a ticket that came as HTML mail; description holds its text"),
    channel: z.enum(CHANNELS),
    category: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    status: z.enum(TICKET_STATUSES),
    levelId: Uuid,
    teamId: Uuid,
    assigneeId: Uuid.nullable(),
    customerId: Uuid,
    tags: z.array(z.string()),
    reopenCount: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    resolvedAt: IsoDateTime.nullable(),
    closedAt: IsoDateTime.nullable(),
  })
  .meta({ id: "Ticket" });

/**
 * A ticket as its customer reads it: the team and level by name, never the internal ids, the assignee
 * (agents' identities stay in-house) or the staff-set tags.
 */
export const CustomerTicketDto = z
  .object({
    id: Uuid,
    number: z.number().int(),
    subject: z.string(),
    description: z.string(),
    descriptionHtml: z.string().nullable(),
    channel: z.enum(CHANNELS),
    category: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    status: z.enum(TICKET_STATUSES),
    team: z.object({ name: z.string() }).describe("the team the request is with"),
    level: z.object({ name: z.string() }).describe("the support level the request is at"),
    customerId: Uuid,
    reopenCount: z.number().int(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    resolvedAt: IsoDateTime.nullable(),
    closedAt: IsoDateTime.nullable(),
  })
  .meta({ id: "CustomerTicket" });

/** What a ticket endpoint answers: staff get `Ticket`, the ticket's customer `CustomerTicket`. */
export const TicketViewDto = z.union([TicketDto, CustomerTicketDto]);

/** The inbox's views: which slice of the tickets the caller sees (see `ticketViewCondition`). */
export const TICKET_VIEWS = ["mine", "team", "escalated", "at-risk", "waiting", "all"] as const;
export type TicketView = (typeof TICKET_VIEWS)[number];
export const TICKET_SORTS = ["created", "updated", "priority", "due"] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];

export const TicketListQuery = PageQuery.extend({
  view: z.enum(TICKET_VIEWS).optional().describe("a slice of your tickets; without it, every ticket you can see (`all`)"),
  status: z.enum(TICKET_STATUSES).optional(),
  levelId: Uuid.optional(),
  teamId: Uuid.optional(),
  priority: z.enum(PRIORITIES).optional(),
  assigneeId: Uuid.optional(),
  customerId: Uuid.optional(),
  category: Category.optional(),
  channel: z.enum(CHANNELS).optional(),
  tag: z
    .union([Tag, z.array(Tag).min(1).max(10)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional()
    .describe("repeatable: the ticket carries every tag given"),
  q: z.string().trim().min(1).max(200).optional().describe("full-text search over subject, description and messages"),
  overdue: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe("true: an SLA clock is past its due or breached, and the ticket is not resolved or closed"),
  createdFrom: IsoDateTime.optional(),
  createdTo: IsoDateTime.optional(),
  updatedFrom: IsoDateTime.optional(),
  updatedTo: IsoDateTime.optional(),
  sort: z.enum(TICKET_SORTS).optional().describe("created (default), updated, priority (urgent first) or due (next SLA due first); at-risk defaults to due"),
  dir: z.enum(["asc", "desc"]).optional().describe("default: desc, except due: asc"),
});

/** A ticket as a staff list shows it: the record plus the names of its people and its next SLA due. */
export const TicketListItemDto = TicketDto.extend({
  customerName: z.string(),
  teamName: z.string(),
  assigneeName: z.string().nullable(),
  nextDueAt: IsoDateTime.nullable().describe("the earliest due of the ticket's running SLA clocks (a breached one: when it breached)"),
}).meta({ id: "TicketListItem" });

/** How many tickets each view holds for the caller. */
export const TicketViewCountsDto = z
  .object({ counts: z.object(Object.fromEntries(TICKET_VIEWS.map((v) => [v, z.number().int()])) as Record<TicketView, z.ZodNumber>) })
  .meta({ id: "TicketViewCounts" });

/** One change for many tickets; each ticket is checked as a PATCH would be, all or nothing. */
export const BulkUpdateTicketsBody = z.object({
  ticketIds: z.array(Uuid).min(1).max(100).refine((ids) => new Set(ids).size === ids.length, { message: "ticket ids must be distinct" }),
  change: z
    .object({
      status: z.enum(TICKET_STATUSES).optional(),
      priority: z.enum(PRIORITIES).optional(),
      assigneeId: Uuid.nullable().optional(),
      addTags: z.array(Tag).min(1).max(30).optional(),
    })
    .strict()
    .refine((c) => Object.values(c).some((v) => v !== undefined), { message: "nothing to change" }),
});
export type BulkUpdateTicketsInput = z.infer<typeof BulkUpdateTicketsBody>;

export const CreateMessageBody = z.object({
  body: z.string().trim().min(1).max(100_000),
  /** Staff choose `public` (a reply) or `internal` (a note); a customer's message is always `customer`. */
  kind: z.enum(["public", "internal"]).optional(),
  expectedVersion: z
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe(
      "the id of the newest timeline event the writer had seen; if someone else has changed the ticket since (a message, a status, an assignment, an escalation), the message is refused with 409 `ticket_changed` listing those events in `changes`",
    ),
});
export const MessageDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    kind: z.enum(MESSAGE_KINDS),
    body: z.string(),
    bodyHtml: z.string().nullable().describe("the sanitised HTML of a message that came as HTML mail; body holds its text"),
    authorAgentId: Uuid.nullable(),
    authorCustomerId: Uuid.nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Message" });

/** A handover note says what the customer needs and what was tried; a word or two is not a handover. */
export const HandoverNote = z.string().trim().min(10, "a handover note needs at least 10 characters").max(20_000);

export const CreateEscalationBody = z
  .object({
    kind: z.enum(["functional", "hierarchical"]),
    toTeamId: Uuid.optional(),
    toAgentId: Uuid.optional(),
    reason: z.enum(ESCALATION_REASONS),
    note: HandoverNote,
  })
  .refine((b) => b.kind !== "functional" || b.toTeamId !== undefined, {
    message: "a functional escalation names the specialist team",
    path: ["toTeamId"],
  });

export const DeEscalateBody = z.object({
  note: HandoverNote,
  /** A team that held the ticket before; by default the team the newest active escalation came from. */
  toTeamId: Uuid.optional().describe("a team that held the ticket before; default: the team the newest active escalation came from"),
});

export const EscalationDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    kind: z.enum(ESCALATION_KINDS),
    status: z.enum(ESCALATION_STATUSES),
    reason: z.enum(ESCALATION_REASONS),
    note: z.string(),
    fromLevelId: Uuid,
    fromTeamId: Uuid,
    fromAgentId: Uuid.nullable(),
    toLevelId: Uuid,
    toTeamId: Uuid,
    toAgentId: Uuid.nullable(),
    requestedById: Uuid.nullable(),
    requestedAt: IsoDateTime,
    acknowledgedAt: IsoDateTime.nullable(),
    acknowledgedById: Uuid.nullable(),
    closedAt: IsoDateTime.nullable(),
    outcome: z.enum(ESCALATION_OUTCOMES).nullable(),
    closingNote: z.string().nullable(),
  })
  .meta({ id: "Escalation" });

export const EventDto = z
  .object({
    id: z.number().int(),
    ticketId: Uuid,
    type: z.string(),
    visibility: z.enum(EVENT_VISIBILITIES),
    actorType: z.enum(ACTOR_TYPES),
    actorId: Uuid.nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Event" });

/** 409 `ticket_changed`: the message was not added; `changes` are the timeline events the writer had not seen. */
export const TicketChangedProblem = Problem.extend({
  changes: z.array(EventDto).optional(),
  currentVersion: z.number().int().optional().describe("the id of the ticket's newest timeline event now"),
});

export type CreateTicketInput = z.infer<typeof CreateTicketBody>;
export type UpdateTicketInput = z.infer<typeof UpdateTicketBody>;
export type TicketListInput = z.infer<typeof TicketListQuery>;
export type CreateMessageInput = z.infer<typeof CreateMessageBody>;
export type CreateEscalationInput = z.infer<typeof CreateEscalationBody>;
export type DeEscalateInput = z.infer<typeof DeEscalateBody>;
