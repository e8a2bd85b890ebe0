import type { WebhookFormat } from "../../db/schema.js";
import { EVENT_TITLES, type WebhookEvent } from "./events.js";

/** The ticket as a webhook shows it, as it stood when the event was fanned out. */
export type WebhookTicket = {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  team: { id: string; name: string } | null;
  url: string;
};

/** The JSON a `json` webhook receives: the delivery's idempotency key, the topic, when it happened, and the event's data. */
export type WebhookEnvelope = {
  id: string;
  type: string;
  createdAt: string;
  data: Record<string, unknown> & { ticket?: WebhookTicket };
};

/** The request body for a subscription's format: the envelope itself, or a chat message for Slack / Teams incoming webhooks. */
export function renderWebhookBody(format: WebhookFormat, envelope: WebhookEnvelope): string {
  switch (format) {
    case "json":
      return JSON.stringify(envelope);
    case "slack":
      return JSON.stringify({ text: slackText(envelope) });
    case "teams":
      return JSON.stringify(teamsCard(envelope));
  }
}

const titleOf = (type: string) => EVENT_TITLES[type as WebhookEvent] ?? type;

/** Slack's mrkdwn treats these three as control characters. */
const slackEscape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function slackText(e: WebhookEnvelope): string {
  const t = e.data.ticket;
  const detail = detailOf(e.type, e.data);
  const parts = [`*${slackEscape(titleOf(e.type))}*`];
  if (t) parts.push(`<${t.url}|#${t.number} ${slackEscape(t.subject).replaceAll("|", "¦")}>`);
  if (detail) parts.push(slackEscape(detail));
  if (t) parts.push(`(${slackEscape(contextOf(t))})`);
  return parts.join(" · ");
}

function teamsCard(e: WebhookEnvelope) {
  const t = e.data.ticket;
  const detail = detailOf(e.type, e.data);
  const title = t ? `${titleOf(e.type)}: #${t.number} ${t.subject}` : titleOf(e.type);
  const text = [detail, t ? contextOf(t) : ""].filter(Boolean).join(" · ");
  return {
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: title,
    title,
    text: text || title,
    ...(t ? { potentialAction: [{ "@type": "OpenUri", name: "Open ticket", targets: [{ os: "default", uri: t.url }] }] } : {}),
  };
}

const contextOf = (t: WebhookTicket) => [`${t.status}`, `priority ${t.priority}`, ...(t.team ? [t.team.name] : [])].join(", ");

const words = (s: unknown) => String(s).replaceAll("_", " ");

/** One readable detail of an event, from its outbox payload. */
function detailOf(type: string, d: Record<string, unknown>): string {
  switch (type) {
    case "sla.warning":
    case "sla.breached":
      return d.metric ? `${words(d.metric)} target${d.dueAt ? ` due ${String(d.dueAt)}` : ""}` : "";
    case "ticket.updated": {
      const changes = (d.changes ?? {}) as Record<string, { from?: unknown; to?: unknown }>;
      return Object.entries(changes)
        .map(([field, c]) => (field === "status" || field === "priority" ? `${field} ${words(c.from)} → ${words(c.to)}` : `${field} changed`))
        .join(", ");
    }
    case "resolution.applied":
      return [words(d.type), d.amount, d.currency].filter((x) => x !== undefined && x !== null).join(" ");
    case "approval.decided":
      return d.decision ? words(d.decision) : "";
    case "escalation.created": {
      const name = (team: unknown) => (team && typeof team === "object" && "name" in team ? String(team.name) : "");
      const route = [name(d.fromTeam), name(d.toTeam)].filter(Boolean).join(" → ");
      return [d.kind ? words(d.kind) : "", d.reason ? `(${words(d.reason)})` : "", route].filter(Boolean).join(" ");
    }
    case "rule.notify":
      return d.rule ? `rule “${String(d.rule)}” notifies the ${words(d.role)}s` : "";
    default:
      return "";
  }
}
