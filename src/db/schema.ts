import { sql } from "drizzle-orm";
import {

  bigserial,
  boolean,
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
import type {
  ActorType,
  AgentRole,
  Channel,
  CustomerTier,
  EscalationKind,
  EscalationOutcome,
  EscalationReason,
  EscalationStatus,
  EventVisibility,
  MessageKind,
  Priority,
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
    authorityLimits: jsonb("authority_limits").$type<Record<string, number>>().notNull().default({}),
    active: boolean("active").notNull().default(true),
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
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customers_email_key").on(sql`lower(${t.email})`),
    index("customers_account_idx").on(t.accountId),
    check("customers_tier_check", sql`${t.tier} in ('standard','priority','vip')`),
  ],
);

export const tickets = pgTable(
  "tickets",
  {
    id: id(),
    number: bigserial("number", { mode: "number" }).notNull().unique(),
    subject: text("subject").notNull(),
    description: text("description").notNull(),
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
    authorAgentId: uuid("author_agent_id").references(() => agents.id),
    authorCustomerId: uuid("author_customer_id").references(() => customers.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("messages_ticket_idx").on(t.ticketId, t.createdAt),
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

