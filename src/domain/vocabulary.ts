/** The closed vocabularies of the domain; the database, the API and the commands all use these lists. */

export const TEAM_KINDS = ["frontline", "specialist", "management"] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const AGENT_ROLES = ["agent", "lead", "manager", "admin"] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const CUSTOMER_TIERS = ["standard", "priority", "vip"] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export const CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which work on a ticket is finished; such a ticket cannot be escalated. */
export const FINISHED_STATUSES: readonly TicketStatus[] = ["resolved", "closed"];

/** `public` is an agent's reply to the customer, `customer` a message from the customer, `internal` a note. */
export const MESSAGE_KINDS = ["public", "internal", "customer"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export const ESCALATION_KINDS = ["functional", "hierarchical", "automatic", "customer"] as const;
export type EscalationKind = (typeof ESCALATION_KINDS)[number];

/** The catalogue of reasons an escalation may give. */
export const ESCALATION_REASONS = [
  "needs_expertise",
  "authority_required",
  "customer_request",
  "sla_breach",
  "legal_risk",
  "recurring_issue",
  "vip_impact",
  "outage",
  "security",
  "complaint",
  "not_acknowledged",
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export const ESCALATION_STATUSES = ["open", "acknowledged", "closed"] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/** How an escalation ended. */
export const ESCALATION_OUTCOMES = ["de_escalated", "escalated_further", "resolved", "closed"] as const;
export type EscalationOutcome = (typeof ESCALATION_OUTCOMES)[number];

export const ACTOR_TYPES = ["agent", "customer", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Whether the customer may see an event on their timeline. */
export const EVENT_VISIBILITIES = ["public", "internal"] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];

/** The SLA targets a policy can set. */
export const SLA_METRICS = ["first_response", "next_response", "periodic_update", "resolution"] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/**
 * `met`: the target was reached in time. `breached`: it was missed (the clock may still run, or have stopped
 * since). `cancelled`: the clock stopped without the target being reached or missed — the ticket was
 * resolved or closed with nothing owed any more, or a re-applied policy sets no such target. SLA figures
 * count met and breached clocks only.
 */
export const CLOCK_STATES = ["running", "paused", "met", "breached", "cancelled"] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

/** What an agent can grant a customer; above their authority limit it needs an approval. */
export const RESOLUTION_TYPES = ["refund", "credit", "replacement", "goodwill"] as const;
export type ResolutionType = (typeof RESOLUTION_TYPES)[number];

/** The moments the escalation matrix is evaluated at. */
export const RULE_TRIGGERS = ["ticket.created", "message.received", "ticket.updated", "time"] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];
