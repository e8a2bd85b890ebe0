import type { TicketEvent } from "../../api/types";
import { en } from "../../i18n/en/index";
import { t, type MessageKey } from "../../i18n";

/** Names for the ids events carry: agents and teams by id, the ticket's customer. */
export type Names = { agents: Map<string, string>; teams: Map<string, string>; customerName: string | undefined };

type Change = { from?: unknown; to?: unknown };
const isChange = (v: unknown): v is Change => typeof v === "object" && v !== null && ("from" in v || "to" in v);

const FIELD_LABELS: Record<string, MessageKey> = {
  status: "ticket.field.status",
  priority: "ticket.field.priority",
  assigneeId: "ticket.field.assignee",
  teamId: "ticket.field.team",
  tags: "ticket.field.tags",
  category: "ticket.field.category",
};

/** Who did it, in words. */
export function actorName(event: Pick<TicketEvent, "actorType" | "actorId">, names: Names): string {
  if (event.actorType === "system") return t("ticket.timeline.system");
  if (event.actorType === "customer") return names.customerName ?? t("ticket.timeline.customer");
  return (event.actorId && names.agents.get(event.actorId)) || t("ticket.message.someone");
}

function valueText(field: string, value: unknown, names: Names): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "status") return t(`ticket.status.${value as "open"}`) ?? String(value);
  if (field === "priority") return t(`ticket.priority.${value as "normal"}`) ?? String(value);
  if (field === "assigneeId") return names.agents.get(String(value)) ?? t("ticket.message.someone");
  if (field === "teamId") return names.teams.get(String(value)) ?? String(value);
  if (Array.isArray(value)) return value.join(", ") || "—";
  return String(value);
}

/** The team an event moved the ticket to, by name, from `teamId: {to}` or `team: {name}`. */
function targetTeam(data: Record<string, unknown>, names: Names): string {
  const teamId = data.teamId;
  if (isChange(teamId) && teamId.to) return names.teams.get(String(teamId.to)) ?? String(teamId.to);
  if (typeof data.toTeamId === "string") return names.teams.get(data.toTeamId) ?? data.toTeamId;
  const team = data.team as { name?: unknown } | undefined;
  if (team && typeof team.name === "string") return team.name;
  const after = data.after as { teamId?: unknown } | undefined;
  if (after && typeof after.teamId === "string") return names.teams.get(after.teamId) ?? after.teamId;
  return "—";
}

const metricName = (metric: unknown) =>
  typeof metric === "string" && `ticket.clock.metric.${metric}` in en ? t(`ticket.clock.metric.${metric as "resolution"}`).toLowerCase() : String(metric ?? "SLA");

/** One timeline event as a sentence a person reads ("Lena changed the priority from Normal to Urgent"). */
export function eventSentence(event: TicketEvent, names: Names): string {
  const actor = actorName(event, names);
  const data = event.data ?? {};
  const key = `ticket.event.${event.type}`;
  const has = (k: string): k is MessageKey => k in en;
  switch (event.type) {
    case "ticket.status_changed":
    case "ticket.reopened": {
      const s = isChange(data.status) ? data.status : {};
      return t(key as MessageKey, { actor, from: valueText("status", s.from, names), to: valueText("status", s.to, names) });
    }
    case "ticket.updated": {
      const changes = (data.changes ?? {}) as Record<string, unknown>;
      const fields = Object.entries(changes)
        .filter(([, c]) => isChange(c))
        .map(([field, c]) => {
          const label = FIELD_LABELS[field] ? t(FIELD_LABELS[field]).toLowerCase() : field;
          const ch = c as Change;
          return `${label} (${valueText(field, ch.from, names)} → ${valueText(field, ch.to, names)})`;
        });
      return t("ticket.event.ticket.updated", { actor, fields: fields.join(", ") || "—" });
    }
    case "ticket.assigned": {
      const a = isChange(data.assigneeId) ? data.assigneeId.to : data.assigneeId;
      return t("ticket.event.ticket.assigned", { actor, assignee: valueText("assigneeId", a, names) });
    }
    case "ticket.not_assigned":
      return t("ticket.event.ticket.not_assigned", { why: String(data.why ?? "—") });
    case "ticket.routed":
    case "ticket.escalated":
    case "ticket.handed_back":
    case "escalation.created":
    case "escalation.de_escalated":
      return t(key as MessageKey, { actor, team: targetTeam(data, names) });
    case "escalation.closed":
      return t("ticket.event.escalation.closed", { outcome: String(data.outcome ?? "—") });
    case "sla.escalation_skipped":
      return t("ticket.event.sla.escalation_skipped", { why: String(data.why ?? "—") });
    case "resolution.applied":
      return t("ticket.event.resolution.applied", { type: String(data.type ?? "—") });
    default:
      if (event.type.startsWith("sla.") && has(key)) return t(key, { metric: metricName(data.metric) });
      if (has(key)) return t(key, { actor });
      return t("ticket.event.other", { actor, type: event.type });
  }
}

/** The timeline's sentences for a list of events, joined for a short summary ("a new message, a status change"). */
export function changesSummary(events: TicketEvent[], names: Names): string {
  return events.map((e) => eventSentence(e, names)).join("; ");
}
