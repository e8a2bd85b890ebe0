import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  customType,
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { GrantedBefore } from "../domain/authority.js";
import type {
  ActorType,
  AgentRole,
  Channel,
  ClockState,
  CustomerTier,
  EscalationKind,
  EscalationOutcome,
  EscalationReason,
  EscalationStatus,
  EventVisibility,
  MessageKind,
  Priority,
  ResolutionType,
  SlaMetric,
  TeamKind,
  TicketStatus,
} from "../domain/vocabulary.js";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Ordered support tiers: a higher rank is a higher tier. */
export const levels = pgTable("levels", {
  id: id(),
  name: text("name").notNull().unique(),
  rank: integer("rank").notNull().unique(),
  createdAt: createdAt(),
});

export const teams = pgTable(
  "teams",
  {
    id: id(),
    name: text("name").notNull().unique(),
    levelId: uuid("level_id").notNull().references(() => levels.id),
    kind: text("kind").$type<TeamKind>().notNull(),
    /** The ticket categories this team owns: "next level" escalations prefer the team owning the ticket's category. */
    categories: text("categories").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [check("teams_kind_check", sql`${t.kind} in ('frontline','specialist','management')`)],
);

export const agents = pgTable(
  "agents",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role").$type<AgentRole>().notNull(),
    passwordHash: text("password_hash"),
    skills: text("skills").array().notNull().default(sql`'{}'::text[]`),
    /** Authority limits (e.g. {"refund_eur": 100}); enforced from phase 3 on. */
    authorityLimits: jsonb("authority_limits").$type<Record<string, { amount: number; currency: string }>>().notNull().default({}),
    active: boolean("active").notNull().default(true),
    /** online | away | offline: routing assigns only to online agents. */
    availability: text("availability").$type<"online" | "away" | "offline">().notNull().default("online"),
    /** How many open tickets the agent carries at most. */
    capacity: integer("capacity").notNull().default(10),
    /** Working hours: routing assigns to the agent only while this calendar is open; null: any time. */
    calendarId: uuid("calendar_id").references((): AnyPgColumn => calendars.id),
    languages: text("languages").array().notNull().default(sql`'{en}'::text[]`),
    /** When routing last gave this agent a ticket: the round-robin among equally suitable agents. */
    lastAssignedAt: ts("last_assigned_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("agents_email_key").on(sql`lower(${t.email})`),
    check("agents_role_check", sql`${t.role} in ('agent','lead','manager','admin')`),
  ],
);

export const agentTeams = pgTable(
  "agent_teams",
  {
    agentId: uuid("agent_id").notNull().references(() => agents.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.teamId] }), index("agent_teams_team_idx").on(t.teamId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: id(),
    name: text("name").notNull().unique(),
    tier: text("tier").$type<CustomerTier>().notNull().default("standard"),
    annualValue: numeric("annual_value", { precision: 14, scale: 2, mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [check("accounts_tier_check", sql`${t.tier} in ('standard','priority','vip')`)],
);

export const customers = pgTable(
  "customers",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    accountId: uuid("account_id").references(() => accounts.id),
    tier: text("tier").$type<CustomerTier>().notNull().default("standard"),
    passwordHash: text("password_hash"),
    /**
     * A chat visitor's contact: the address was typed in, never confirmed. It never shares a record (tier,
     * account, tickets, mail) with the customer who owns the address; several may hold one address.
     */
    unverified: boolean("unverified").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customers_email_key").on(sql`lower(${t.email})`).where(sql`not ${t.unverified}`),
    index("customers_account_idx").on(t.accountId),
    check("customers_tier_check", sql`${t.tier} in ('standard','priority','vip')`),
  ],
);

/**
 * A priority as a number, urgent highest: the inbox sorts by it. The same expression is indexed
 * (`tickets_priority_rank_idx`), so queries must use exactly this text.
 */
export const PRIORITY_RANK_SQL = sql.raw(`case "priority" when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end`);

export const tickets = pgTable(
  "tickets",
  {
    id: id(),
    number: bigserial("number", { mode: "number" }).notNull().unique(),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
    /** The sanitised HTML of the first mail when it came as HTML mail; `description` holds its text. */
    descriptionHtml: text("description_html"),
    channel: text("channel").$type<Channel>().notNull(),
    category: text("category"),
    priority: text("priority").$type<Priority>().notNull(),
    status: text("status").$type<TicketStatus>().notNull().default("new"),
    levelId: uuid("level_id").notNull().references(() => levels.id),
    teamId: uuid("team_id").notNull().references(() => teams.id),
    assigneeId: uuid("assignee_id").references(() => agents.id),
    customerId: uuid("customer_id").notNull().references(() => customers.id),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    reopenCount: integer("reopen_count").notNull().default(0),
    /** The SLA policy whose clocks run on the ticket (none when no policy matched). */
    slaPolicyId: uuid("sla_policy_id"),
    createdAt: createdAt(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    resolvedAt: ts("resolved_at"),
    closedAt: ts("closed_at"),
  },
  (t) => [
    index("tickets_status_idx").on(t.status, t.number),
    index("tickets_team_idx").on(t.teamId, t.number),
    index("tickets_level_idx").on(t.levelId, t.number),
    index("tickets_assignee_idx").on(t.assigneeId, t.number),
    index("tickets_customer_idx").on(t.customerId, t.number),
    // The inbox's sorts page by keyset on these (see src/queries/ticket-list.queries.ts).
    index("tickets_updated_idx").on(t.updatedAt, t.number),
    index("tickets_priority_rank_idx").on(sql`(${PRIORITY_RANK_SQL})`, t.number),
    index("tickets_tags_idx").using("gin", t.tags),
    index("tickets_search_idx").using("gin", sql`to_tsvector('simple', ${t.subject} || ' ' || ${t.description})`),
    check("tickets_channel_check", sql`${t.channel} in ('email','web','chat','phone','social','api')`),
    check("tickets_priority_check", sql`${t.priority} in ('low','normal','high','urgent')`),
    check(
      "tickets_status_check",
      sql`${t.status} in ('new','open','pending','on_hold','resolved','closed')`,
    ),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    kind: text("kind").$type<MessageKind>().notNull(),
    body: text("body").notNull(),
    /** The sanitised HTML of a message that came as HTML mail; `body` holds its text. */
    bodyHtml: text("body_html"),
    authorAgentId: uuid("author_agent_id").references(() => agents.id),
    authorCustomerId: uuid("author_customer_id").references(() => customers.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_ticket_idx").on(t.ticketId, t.createdAt),
    index("messages_search_idx").using("gin", sql`to_tsvector('simple', ${t.body})`),
    check("messages_kind_check", sql`${t.kind} in ('public','internal','customer')`),
  ],
);

export const escalations = pgTable(
  "escalations",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    kind: text("kind").$type<EscalationKind>().notNull(),
    status: text("status").$type<EscalationStatus>().notNull().default("open"),
    reason: text("reason").$type<EscalationReason>().notNull(),
    note: text("note").notNull(),
    fromLevelId: uuid("from_level_id").notNull().references(() => levels.id),
    fromTeamId: uuid("from_team_id").notNull().references(() => teams.id),
    fromAgentId: uuid("from_agent_id").references(() => agents.id),
    toLevelId: uuid("to_level_id").notNull().references(() => levels.id),
    toTeamId: uuid("to_team_id").notNull().references(() => teams.id),
    toAgentId: uuid("to_agent_id").references(() => agents.id),
    requestedById: uuid("requested_by_id").references(() => agents.id),
    requestedAt: ts("requested_at").notNull(),
    acknowledgedAt: ts("acknowledged_at"),
    acknowledgedById: uuid("acknowledged_by_id").references(() => agents.id),
    closedAt: ts("closed_at"),
    outcome: text("outcome").$type<EscalationOutcome>(),
    closingNote: text("closing_note"),
  },
  (t) => [
    index("escalations_ticket_idx").on(t.ticketId, t.requestedAt),
    index("escalations_open_idx").on(t.status).where(sql`${t.status} <> 'closed'`),
    check("escalations_kind_check", sql`${t.kind} in ('functional','hierarchical','automatic','customer')`),
    check("escalations_status_check", sql`${t.status} in ('open','acknowledged','closed')`),
  ],
);

/** The append-only timeline of every ticket. Nothing updates or deletes these rows. */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    type: text("type").notNull(),
    visibility: text("visibility").$type<EventVisibility>().notNull(),
    actorType: text("actor_type").$type<ActorType>().notNull(),
    actorId: uuid("actor_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("events_ticket_idx").on(t.ticketId, t.id)],
);

/** Side effects to deliver after commit (email, webhooks, live updates); written in the command's transaction. */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    topic: text("topic").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    dispatchedAt: ts("dispatched_at"),
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [index("outbox_pending_idx").on(t.id).where(sql`${t.dispatchedAt} is null`)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the session token; the token itself is only in the client's cookie. */
    tokenHash: text("token_hash").primaryKey(),
    agentId: uuid("agent_id").references(() => agents.id, { onDelete: "cascade" }),
    customerId: uuid("customer_id").references(() => customers.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [check("sessions_principal_check", sql`(${t.agentId} is null) <> (${t.customerId} is null)`)],
);

export const apiTokens = pgTable("api_tokens", {
  id: id(),
  name: text("name").notNull(),
  /** SHA-256 of the bearer token; the token is shown once, at creation. */
  tokenHash: text("token_hash").notNull().unique(),
  agentId: uuid("agent_id")
    .notNull()
    .references(() => agents.id, { onDelete: "cascade" }),
  createdAt: createdAt(),
  lastUsedAt: ts("last_used_at"),
  revokedAt: ts("revoked_at"),
});

/** Installation-wide settings kept in the store (e.g. a generated cookie secret). */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type Level = typeof levels.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type Agent = typeof agents.$inferSelect;
export type Account = typeof accounts.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Ticket = typeof tickets.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Escalation = typeof escalations.$inferSelect;
export type TicketEvent = typeof events.$inferSelect;


/** Business hours in an IANA zone, with holidays; SLA targets count only this working time. */
export const calendars = pgTable("calendars", {
  id: id(),
  name: text("name").notNull().unique(),
  timezone: text("timezone").notNull(),
  /** {mon: [["09:00","17:00"]], …, sun: []} */
  hours: jsonb("hours").$type<Record<string, [string, string][]>>().notNull(),
  holidays: jsonb("holidays").$type<{ date: string; name: string }[]>().notNull().default([]),
  holidayRegion: text("holiday_region"),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * An SLA policy: conditions that select tickets (the first active policy by position wins), targets per
 * metric and priority (ISO 8601 durations of working time), the calendar they count in, the statuses
 * that pause its clocks, the escalation chain and the acknowledgement timeout.
 */
export const slaPolicies = pgTable("sla_policies", {
  id: id(),
  name: text("name").notNull().unique(),
  position: integer("position").notNull(),
  active: boolean("active").notNull().default(true),
  conditions: jsonb("conditions").$type<Record<string, string[]>>().notNull().default({}),
  calendarId: uuid("calendar_id").references(() => calendars.id),
  pauseStatuses: text("pause_statuses").array().notNull().default(sql`'{pending,on_hold}'::text[]`),
  targets: jsonb("targets").$type<Record<string, Record<string, string>>>().notNull(),
  steps: jsonb("steps").$type<unknown[]>().notNull().default([]),
  ackTimeout: text("ack_timeout"),
  /** Whether resolving (or closing) a ticket meets its owed first/next response and periodic update; else they are cancelled. */
  resolutionCountsAsResponse: boolean("resolution_counts_as_response").notNull().default(false),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * One SLA target running on one ticket. While running, `dueAt` is when the target is missed; paused, the
 * working time used so far is kept in `elapsedMs` and `dueAt` is null. `cycle` counts next-response and
 * periodic-update clocks, which start again after each fulfilment.
 */
export const slaClocks = pgTable(
  "sla_clocks",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    policyId: uuid("policy_id").notNull().references(() => slaPolicies.id),
    metric: text("metric").$type<SlaMetric>().notNull(),
    cycle: integer("cycle").notNull().default(1),
    state: text("state").$type<ClockState>().notNull(),
    targetMs: bigint("target_ms", { mode: "number" }).notNull(),
    elapsedMs: bigint("elapsed_ms", { mode: "number" }).notNull().default(0),
    startedAt: ts("started_at").notNull(),
    /** Start of the current running span (null while paused or stopped). */
    runningSince: ts("running_since"),
    dueAt: ts("due_at"),
    breachedAt: ts("breached_at"),
    stoppedAt: ts("stopped_at"),
    pauses: jsonb("pauses").$type<{ from: string; to: string | null }[]>().notNull().default([]),
  },
  (t) => [
    index("sla_clocks_ticket_idx").on(t.ticketId),
    /** The board's "breaching within the hour": running clocks by due time. */
    index("sla_clocks_running_due_idx").on(t.dueAt).where(sql`${t.state} = 'running'`),
    /** The board's "breaches today": breached clocks by breach time. */
    index("sla_clocks_breached_idx").on(t.breachedAt).where(sql`${t.breachedAt} is not null`),
    // A ticket's next due (the inbox's SLA column, sort and at-risk view) reads only live clocks.
    index("sla_clocks_live_due_idx").on(t.ticketId, t.dueAt).where(sql`${t.stoppedAt} is null`),
    index("sla_clocks_due_order_idx").on(t.dueAt).where(sql`${t.stoppedAt} is null and ${t.dueAt} is not null`),
    uniqueIndex("sla_clocks_one_live_idx").on(t.ticketId, t.metric).where(sql`${t.stoppedAt} is null`),
    check("sla_clocks_state_check", sql`${t.state} in ('running','paused','met','breached','cancelled')`),
  ],
);

/**
 * A durable timer. The engine claims due rows with FOR UPDATE SKIP LOCKED and, in the same transaction,
 * acts and sets `firedAt`, so each (clock or escalation, step) fires exactly once across instances and
 * crashes. Unfired rows are deleted when their clock pauses or stops and written again when it resumes.
 */
export const deadlines = pgTable(
  "deadlines",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    dueAt: ts("due_at").notNull(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    clockId: uuid("clock_id").references(() => slaClocks.id),
    escalationId: uuid("escalation_id").references(() => escalations.id),
    approvalId: uuid("approval_id"),
    /** Which step: `breach`, `step:<index>:<repeat>` on a clock, `ack` on an escalation. */
    stepKey: text("step_key").notNull(),
    /** What to do when it fires (the policy step as it was when scheduled), so a firing needs no lookup of a policy that may have changed since. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    firedAt: ts("fired_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("deadlines_pending_idx").on(t.dueAt).where(sql`${t.firedAt} is null`),
    uniqueIndex("deadlines_clock_step_key").on(t.clockId, t.stepKey).where(sql`${t.clockId} is not null`),
    uniqueIndex("deadlines_escalation_step_key").on(t.escalationId, t.stepKey).where(sql`${t.escalationId} is not null`),
    uniqueIndex("deadlines_approval_step_key").on(t.approvalId, t.stepKey).where(sql`${t.approvalId} is not null`),
    /** Ticket-level timers (time-triggered rules): one per ticket and key. */
    uniqueIndex("deadlines_ticket_step_key")
      .on(t.ticketId, t.stepKey)
      .where(sql`${t.clockId} is null and ${t.escalationId} is null and ${t.approvalId} is null`),
  ],
);

export type Calendar = typeof calendars.$inferSelect;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type SlaClock = typeof slaClocks.$inferSelect;
export type Deadline = typeof deadlines.$inferSelect;

/**
 * The escalation matrix: ordered rules whose conditions (over ticket, customer and message fields) select
 * tickets on a trigger, and whose actions route, re-prioritise, tag, escalate or notify. `stopProcessing`
 * ends the evaluation of later rules for that trigger.
 */
export const escalationRules = pgTable("escalation_rules", {
  id: id(),
  name: text("name").notNull().unique(),
  position: integer("position").notNull(),
  active: boolean("active").notNull().default(true),
  /** ticket.created | message.received | ticket.updated | time */
  triggers: text("triggers").array().notNull(),
  match: text("match").$type<"all" | "any">().notNull().default("all"),
  conditions: jsonb("conditions").$type<Record<string, unknown>[]>().notNull(),
  actions: jsonb("actions").$type<Record<string, unknown>[]>().notNull(),
  stopProcessing: boolean("stop_processing").notNull().default(false),
  /** Fire at most once per ticket (the default), rather than on every triggering change while it matches. */
  oncePerTicket: boolean("once_per_ticket").notNull().default(true),
  version: integer("version").notNull().default(1),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Each firing of a rule on a ticket, once per triggering change (the loop guard and the audit). */
export const ruleFirings = pgTable(
  "rule_firings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    ruleId: uuid("rule_id").notNull().references(() => escalationRules.id),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    /** What triggered it: the event id of the change, or `time:<due>` for time conditions. */
    triggerKey: text("trigger_key").notNull(),
    firedAt: ts("fired_at").notNull(),
  },
  (t) => [uniqueIndex("rule_firings_once_key").on(t.ruleId, t.ticketId, t.triggerKey)],
);

/** A customer's request to have their ticket escalated, and the answer they get. */
export const escalationRequests = pgTable(
  "escalation_requests",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    customerId: uuid("customer_id").notNull().references(() => customers.id),
    reason: text("reason").notNull(),
    status: text("status").$type<"open" | "accepted" | "declined">().notNull().default("open"),
    decidedById: uuid("decided_by_id").references(() => agents.id),
    decidedAt: ts("decided_at"),
    /** Why it was declined (shown to the customer) or a note on acceptance. */
    answer: text("answer"),
    escalationId: uuid("escalation_id").references(() => escalations.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("escalation_requests_ticket_idx").on(t.ticketId),
    uniqueIndex("escalation_requests_one_open_key").on(t.ticketId).where(sql`${t.status} = 'open'`),
    check("escalation_requests_status_check", sql`${t.status} in ('open','accepted','declined')`),
  ],
);

/** What a role may grant without approval, per resolution type (an agent's own limits override these). */
export const roleLimits = pgTable(
  "role_limits",
  {
    role: text("role").$type<AgentRole>().notNull(),
    type: text("type").$type<ResolutionType>().notNull(),
    amount: numeric("amount", { precision: 14, scale: 2, mode: "number" }).notNull(),
    currency: text("currency").notNull(),
  },
  (t) => [primaryKey({ columns: [t.role, t.type] })],
);

/** A refund, credit, replacement or goodwill gesture on a ticket: applied, or waiting for an approval. */
export const resolutions = pgTable(
  "resolutions",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    type: text("type").$type<ResolutionType>().notNull(),
    amount: numeric("amount", { precision: 14, scale: 2, mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    note: text("note").notNull(),
    status: text("status").$type<"applied" | "pending_approval" | "denied">().notNull(),
    requestedById: uuid("requested_by_id").notNull().references(() => agents.id),
    createdAt: createdAt(),
    appliedAt: ts("applied_at"),
  },
  (t) => [index("resolutions_ticket_idx").on(t.ticketId)],
);

/** An approval request for a resolution above the requester's authority. */
export const approvals = pgTable(
  "approvals",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    resolutionId: uuid("resolution_id").notNull().references(() => resolutions.id),
    approverId: uuid("approver_id").notNull().references(() => agents.id),
    status: text("status").$type<"pending" | "approved" | "denied">().notNull().default("pending"),
    reason: text("reason"),
    requestedAt: ts("requested_at").notNull(),
    decidedAt: ts("decided_at"),
    /** If still undecided then, the request escalates to the next approver up. */
    dueAt: ts("due_at"),
    /** What had been granted (applied or waiting for approval) on the ticket, of this type and currency, when asked. */
    grantedBefore: jsonb("granted_before").$type<GrantedBefore>(),
  },
  (t) => [
    index("approvals_approver_idx").on(t.approverId, t.status),
    check("approvals_status_check", sql`${t.status} in ('pending','approved','denied')`),
  ],
);

export type EscalationRuleRow = typeof escalationRules.$inferSelect;
export type EscalationRequest = typeof escalationRequests.$inferSelect;
export type Resolution = typeof resolutions.$inferSelect;
export type Approval = typeof approvals.$inferSelect;

/* ---------------------------------------------------------------------------------------------------------
 * Phase 4: channels and notifications.
 * ------------------------------------------------------------------------------------------------------- */

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export type DeliveryChannel = "email" | "webhook";
export type DeliveryStatus = "pending" | "delivered" | "dead";

/**
 * One message to one destination, fanned out from an outbox row after commit and sent at least once by the
 * dispatcher: retried with exponential backoff until delivered or, after the last try, dead (kept, and
 * retryable by hand). The idempotency key is unique, so fanning out the same outbox row twice (a crash
 * between fan-out and marking it dispatched) makes no second delivery; it also travels with the message
 * (webhook header, email Message-ID) so the receiver can drop a repeat of a send.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    outboxId: bigint("outbox_id", { mode: "number" }).references(() => outbox.id),
    channel: text("channel").$type<DeliveryChannel>().notNull(),
    /** What the message is about, e.g. `ticket.created` or `customer.agent_reply`. */
    topic: text("topic").notNull(),
    /** An email address, or a webhook URL. */
    destination: text("destination").notNull(),
    subscriptionId: uuid("subscription_id").references(() => webhookSubscriptions.id, { onDelete: "set null" }),
    ticketId: uuid("ticket_id").references(() => tickets.id),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    /** The rendered message: for email {to, subject, text, html, messageId, inReplyTo, references}; for a webhook {body, format}. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    /** Set while one dispatcher sends it; another may take it over once this passes (a crashed sender). */
    lockedUntil: ts("locked_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    index("deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("deliveries_ticket_idx").on(t.ticketId),
    index("deliveries_created_idx").on(t.createdAt, t.id),
    check("deliveries_channel_check", sql`${t.channel} in ('email','webhook')`),
    check("deliveries_status_check", sql`${t.status} in ('pending','delivered','dead')`),
  ],
);

export type WebhookFormat = "json" | "slack" | "teams";

/** A webhook subscription: the events it wants (empty: all), where to POST them and the HMAC secret. */
export const webhookSubscriptions = pgTable(
  "webhook_subscriptions",
  {
    id: id(),
    name: text("name").notNull(),
    url: text("url").notNull(),
    /** Signs each body (HMAC-SHA256); shown once at creation, never logged. */
    secret: text("secret").notNull(),
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    format: text("format").$type<WebhookFormat>().notNull().default("json"),
    active: boolean("active").notNull().default(true),
    createdById: uuid("created_by_id").references(() => agents.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [check("webhook_subscriptions_format_check", sql`${t.format} in ('json','slack','teams')`)],
);

/** An edited email template; a template without a row here uses the built-in text. */
export const emailTemplates = pgTable("email_templates", {
  key: text("key").primaryKey(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedById: uuid("updated_by_id").references(() => agents.id),
});

/** An inbound mailbox: its address, the team new tickets from it go to, and optionally an IMAP account to poll. */
export const mailboxes = pgTable("mailboxes", {
  id: id(),
  name: text("name").notNull().unique(),
  address: text("address").notNull().unique(),
  teamId: uuid("team_id").references(() => teams.id),
  imapHost: text("imap_host"),
  imapPort: integer("imap_port"),
  imapSecure: boolean("imap_secure").notNull().default(true),
  imapUser: text("imap_user"),
  /** Needed to log in, so stored; never logged and never returned by the API. */
  imapPassword: text("imap_password"),
  imapFolder: text("imap_folder").notNull().default("INBOX"),
  pollSeconds: integer("poll_seconds").notNull().default(60),
  /** IMAP UIDVALIDITY and the last UID taken, so a poll resumes where the previous one stopped. */
  uidValidity: bigint("uid_validity", { mode: "number" }),
  lastUid: bigint("last_uid", { mode: "number" }).notNull().default(0),
  active: boolean("active").notNull().default(true),
  createdAt: createdAt(),
});

export type InboundMailStatus = "ticket" | "reply" | "ignored" | "quarantined";

/**
 * Every mail taken in, whatever became of it: a new ticket, a reply on a ticket, ignored (an auto-reply or
 * bounce, with the reason) or quarantined (malformed or unmatched, with the reason and the raw message, so
 * nothing is dropped). The unique Message-ID per mailbox makes taking the same mail twice a no-op.
 */
export const inboundMail = pgTable(
  "inbound_mail",
  {
    id: id(),
    mailboxId: uuid("mailbox_id").references(() => mailboxes.id),
    source: text("source").$type<"smtp" | "imap">().notNull(),
    messageId: text("message_id"),
    fromAddress: text("from_address"),
    subject: text("subject"),
    status: text("status").$type<InboundMailStatus>().notNull(),
    reason: text("reason"),
    ticketId: uuid("ticket_id").references(() => tickets.id),
    messageRowId: uuid("message_row_id").references(() => messages.id),
    /** The raw message, byte for byte, in the blob store (its SHA-256, hex) and its size. */
    rawSha256: text("raw_sha256"),
    rawSize: integer("raw_size"),
    /** Legacy: the raw bytes of mail taken in before the blob store; never written now, still read. */
    raw: bytea("raw"),
    receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("inbound_mail_message_id_key").on(sql`coalesce(${t.mailboxId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.messageId),
    index("inbound_mail_status_idx").on(t.status, t.receivedAt),
    index("inbound_mail_raw_sha256_idx").on(t.rawSha256),
    check("inbound_mail_status_check", sql`${t.status} in ('ticket','reply','ignored','quarantined')`),
    check("inbound_mail_source_check", sql`${t.source} in ('smtp','imap')`),
  ],
);

/** RFC 5322 Message-IDs that belong to a ticket (mail sent and mail taken in), so a reply finds its ticket. */
export const emailThreads = pgTable(
  "email_threads",
  {
    messageId: text("message_id").primaryKey(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    createdAt: createdAt(),
  },
  (t) => [index("email_threads_ticket_idx").on(t.ticketId)],
);

/** A file that came with a message (mail attachments); downloadable by whoever may see the message. */
export const attachments = pgTable(
  "attachments",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    messageId: uuid("message_id").references(() => messages.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** SHA-256 of the content, hex: its key in the blob store. */
    sha256: text("sha256").notNull(),
    /** Legacy: the bytes of files stored before the blob store; null for every file stored since. */
    content: bytea("content"),
    /** Where it comes on its ticket (0, 1, 2 …): the order of the files in the mail, then of the mails. */
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("attachments_ticket_idx").on(t.ticketId, t.position),
    index("attachments_message_idx").on(t.messageId),
    // The orphan-blob sweep asks whether anything still refers to a blob.
    index("attachments_sha256_idx").on(t.sha256),
  ],
);

/**
 * The PostgreSQL blob store (TIERLINE_BLOB_STORE=postgres): content-addressed files, one row per blob and
 * its bytes in chunks of at most 1 MB, so no statement carries a whole large file. Chunks of an upload in
 * progress are keyed `upload:<uuid>` until its hash is known.
 */
export const blobs = pgTable("blobs", {
  sha256: text("sha256").primaryKey(),
  size: bigint("size", { mode: "number" }).notNull(),
  createdAt: createdAt(),
});

export const blobChunks = pgTable(
  "blob_chunks",
  {
    key: text("key").notNull(),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.key, t.seq] })],
);

/** A web-chat conversation: the ticket it opened, and the hash of the visitor's conversation token. */
export const chatConversations = pgTable(
  "chat_conversations",
  {
    id: id(),
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    customerId: uuid("customer_id").notNull().references(() => customers.id),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: ts("last_seen_at"),
  },
  (t) => [index("chat_conversations_ticket_idx").on(t.ticketId)],
);

/**
 * A confirmation link mailed to the address a chat visitor typed in. The token is made when the mail is
 * planned and kept only as its hash; it is single-use and expires.
 */
export const chatVerifications = pgTable(
  "chat_verifications",
  {
    id: id(),
    conversationId: uuid("conversation_id").notNull().references(() => chatConversations.id),
    email: text("email").notNull(),
    /** Null until the mail is planned; unique, so a token finds one verification. */
    tokenHash: text("token_hash").unique(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("chat_verifications_email_idx").on(sql`lower(${t.email})`, t.createdAt), index("chat_verifications_conversation_idx").on(t.conversationId)],
);

/**
 * A sign-in link mailed to a customer (the portal's magic link). The token is made when the mail is planned
 * and kept only as its hash; it is single-use and expires after minutes.
 */
export const magicLinks = pgTable(
  "magic_links",
  {
    id: id(),
    customerId: uuid("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** Null until the mail is planned; unique, so a token finds one link. */
    tokenHash: text("token_hash").unique(),
    createdAt: createdAt(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("magic_links_customer_idx").on(t.customerId, t.createdAt)],
);

export type Delivery = typeof deliveries.$inferSelect;
export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type Mailbox = typeof mailboxes.$inferSelect;
export type InboundMail = typeof inboundMail.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;

/** Reply snippets agents insert into the composer; `{{placeholders}}` are filled for the ticket by the server. */
export const cannedReplies = pgTable("canned_replies", {
  id: id(),
  title: text("title").notNull().unique(),
  body: text("body").notNull(),
  createdById: uuid("created_by_id").references(() => agents.id),
  createdAt: createdAt(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * Who is looking at (or typing on) a ticket now: one row per agent and ticket, refreshed by the agent's
 * heartbeat; a row past `expires_at` means the agent went away. In the database so every instance sees it.
 */
export const ticketPresence = pgTable(
  "ticket_presence",
  {
    ticketId: uuid("ticket_id").notNull().references(() => tickets.id),
    agentId: uuid("agent_id").notNull().references(() => agents.id),
    state: text("state").$type<"viewing" | "typing">().notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.agentId] }), check("ticket_presence_state_check", sql`${t.state} in ('viewing','typing')`)],
);

export type CannedReply = typeof cannedReplies.$inferSelect;
export type TicketPresence = typeof ticketPresence.$inferSelect;
