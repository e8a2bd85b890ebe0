/**
 * The outbox topics a webhook may subscribe to: every topic the commands and the engine enqueue. A test
 * (webhook-events.test.ts) reads the sources for `enqueue(` calls and fails when a new topic is missing here.
 */
export const WEBHOOK_EVENTS = [
  "ticket.created",
  "ticket.updated",
  "message.public",
  "message.customer",
  "escalation.created",
  "escalation.acknowledged",
  "escalation.de_escalated",
  "escalation_request.created",
  "escalation_request.accepted",
  "escalation_request.declined",
  "sla.warning",
  "sla.breached",
  "approval.requested",
  "approval.decided",
  "approval.unanswered",
  "resolution.applied",
  "rule.notify",
  "chat.verification_requested",
  "chat.verified",
  "customer.sign_in_requested",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** `escalation.*` stands for every topic of that group. */
const GROUP_PATTERNS = [...new Set(WEBHOOK_EVENTS.map((e) => `${e.split(".")[0]}.*`))];

/** What an events filter may hold: a topic, or a group pattern such as `sla.*`. */
export const WEBHOOK_EVENT_PATTERNS: readonly string[] = [...WEBHOOK_EVENTS, ...GROUP_PATTERNS];

/** Whether a subscription's filter takes a topic; an empty filter takes every topic. */
export function isSubscribed(filter: readonly string[], topic: string): boolean {
  if (filter.length === 0) return true;
  const group = `${topic.split(".")[0]}.*`;
  return filter.some((f) => f === topic || f === group);
}

/** A short human label of a topic, for chat messages (Slack, Teams). */
export const EVENT_TITLES: Record<WebhookEvent, string> = {
  "ticket.created": "New ticket",
  "ticket.updated": "Ticket updated",
  "message.public": "Agent replied",
  "message.customer": "Customer wrote",
  "escalation.created": "Escalated",
  "escalation.acknowledged": "Escalation acknowledged",
  "escalation.de_escalated": "De-escalated",
  "escalation_request.created": "Customer asked for escalation",
  "escalation_request.accepted": "Escalation request accepted",
  "escalation_request.declined": "Escalation request declined",
  "sla.warning": "SLA warning",
  "sla.breached": "SLA breached",
  "approval.requested": "Approval needed",
  "approval.decided": "Approval decided",
  "approval.unanswered": "Approval unanswered",
  "resolution.applied": "Resolution applied",
  "rule.notify": "Escalation rule notification",
  "chat.verification_requested": "Chat visitor asked to confirm their address",
  "chat.verified": "Chat visitor confirmed their address",
  "customer.sign_in_requested": "Customer asked for a sign-in link",
};
