// How the portal says where a request stands, in plain words, from what a customer may read: the
// customer-safe ticket, its public timeline, the next update due and the answers to escalation requests.
import dayjs from "dayjs";
import type { CustomerTicket, TicketEvent } from "../../api/types";
import type { EscalationRequest, NextUpdate } from "../../api/portal";
import { ApiProblem } from "../../api/problem";
import { t } from "../../i18n";

export type PlainStatus = "working" | "waiting" | "solved";

/** The three states a customer cares about: we are on it, we wait for them, it is done. */
export function plainStatus(status: CustomerTicket["status"]): PlainStatus {
  if (status === "pending") return "waiting";
  if (status === "resolved" || status === "closed") return "solved";
  return "working";
}

/** The words of a plain status ("We're working on it", "Waiting for your reply", "Solved"). */
export function plainStatusLabel(status: CustomerTicket["status"]): string {
  return t(`portal.status.${plainStatus(status)}`);
}

/** A time as a customer reads it: "14:00" today, "Tue 3 Mar, 14:00" on another day (the browser's zone). */
export function shortTime(iso: string, now: Date = new Date()): string {
  const at = dayjs(iso);
  return at.isSame(dayjs(now), "day") ? at.format("HH:mm") : at.format("ddd D MMM, HH:mm");
}

const MOVES = new Set(["ticket.escalated", "ticket.handed_back"]);

/** "our Billing specialists", taken from the server's own sentence on the move when there is one. */
function phraseOf(event: TicketEvent | undefined, teamName: string): string {
  const text = typeof event?.data.text === "string" ? event.data.text : "";
  const match = /\bwith (our .+?)\.?$/.exec(text);
  return match ? match[1]! : t("portal.status.ourTeam", { team: teamName });
}

/**
 * Who has the request and since when: the latest move to the ticket's current team on the public
 * timeline (an escalation or a hand-back), else the team it started with, since it was opened.
 */
export function currentHolder(ticket: CustomerTicket, events: readonly TicketEvent[]): { phrase: string; since: string } {
  const move = [...events].reverse().find((e) => MOVES.has(e.type) && (e.data.team === undefined || e.data.team === ticket.team.name));
  return { phrase: phraseOf(move, ticket.team.name), since: move?.createdAt ?? ticket.createdAt };
}

/** "With our Billing specialists since 10:42", for a request still open; null once solved. */
export function holderLine(ticket: CustomerTicket, events: readonly TicketEvent[], now: Date = new Date()): string | null {
  if (plainStatus(ticket.status) === "solved") return null;
  const { phrase, since } = currentHolder(ticket, events);
  return t("portal.status.withTeam", { team: phrase, time: shortTime(since, now) });
}

/** "Next update due by 14:00" (or that it is late), for an open request with a promise running; else null. */
export function nextUpdateLine(ticket: CustomerTicket, next: NextUpdate | undefined, now: Date = new Date()): string | null {
  if (!next?.dueAt || plainStatus(ticket.status) !== "working") return null;
  const time = shortTime(next.dueAt, now);
  return next.overdue || new Date(next.dueAt).getTime() <= now.getTime() ? t("portal.status.updateLate", { time }) : t("portal.status.nextUpdate", { time });
}

const STATUS_EVENT_TEXT: Partial<Record<CustomerTicket["status"], Parameters<typeof t>[0]>> = {
  open: "portal.timeline.working",
  pending: "portal.timeline.waiting",
  on_hold: "portal.timeline.onHold",
  resolved: "portal.timeline.solved",
  closed: "portal.timeline.closed",
};

export type TimelineEntry = { id: number; at: string; text: string };

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** One public event in plain words; null for events that say nothing to a customer. */
export function timelineText(event: TicketEvent): string | null {
  const d = event.data;
  switch (event.type) {
    case "ticket.created":
      return t("portal.timeline.created");
    case "message.customer":
      return t("portal.timeline.youWrote");
    case "message.public":
      return t("portal.timeline.weReplied");
    case "ticket.status_changed": {
      const to = (d.status as { to?: CustomerTicket["status"] } | undefined)?.to;
      const key = to ? STATUS_EVENT_TEXT[to] : undefined;
      return key ? t(key) : null;
    }
    case "ticket.reopened":
      return t("portal.timeline.reopened");
    case "ticket.escalated":
    case "ticket.taken_over":
    case "ticket.handed_back":
      return str(d.text) || null;
    case "escalation_request.created":
      return t("portal.timeline.requestCreated");
    case "escalation_request.accepted":
      return t("portal.timeline.requestAccepted");
    case "escalation_request.declined":
      return str(d.answer) ? t("portal.timeline.requestDeclinedWhy", { answer: str(d.answer) }) : t("portal.timeline.requestDeclined");
    case "resolution.applied":
      return t("portal.timeline.resolution", { type: str(d.type).replaceAll("_", " ") || "resolution", amount: Number(d.amount ?? 0).toFixed(2), currency: str(d.currency) });
    default:
      return null;
  }
}

/** The public timeline in plain words, oldest first, leaving out what says nothing to a customer. */
export function plainTimeline(events: readonly TicketEvent[]): TimelineEntry[] {
  return events.flatMap((e) => {
    const text = timelineText(e);
    return text ? [{ id: e.id, at: e.createdAt, text }] : [];
  });
}

/** The first ISO date-time in a sentence of the server (the guardrails say from when a request is allowed). */
function isoIn(detail: string): string | null {
  return /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(detail)?.[0] ?? null;
}

/** What the guardrail's refusal of an escalation request means, in plain words. */
export function escalationRefusal(err: unknown, now: Date = new Date()): string {
  if (!(err instanceof ApiProblem)) return t("portal.escalate.failed");
  const at = isoIn(err.detail);
  switch (err.code) {
    case "escalation_request_too_early":
      return at ? t("portal.escalate.tooEarly", { time: shortTime(at, now) }) : t("portal.escalate.tooEarlyNoTime");
    case "escalation_request_limit_reached":
      return at ? t("portal.escalate.limit", { time: shortTime(at, now) }) : t("portal.escalate.limitNoTime");
    case "escalation_request_open":
      return t("portal.escalate.stillOpen");
    case "ticket_not_escalatable":
      return t("portal.escalate.notEscalatable");
    default:
      return err.detail || t("portal.escalate.failed");
  }
}

/** A request's answer as the customer reads it: waiting, accepted (with the agent's note) or declined with the reason. */
export function requestAnswer(request: EscalationRequest): { tone: "waiting" | "accepted" | "declined"; text: string } {
  if (request.status === "accepted") {
    return { tone: "accepted", text: request.answer ? t("portal.request.acceptedWhy", { answer: request.answer }) : t("portal.request.accepted") };
  }
  if (request.status === "declined") {
    return { tone: "declined", text: request.answer ? t("portal.request.declinedWhy", { answer: request.answer }) : t("portal.request.declined") };
  }
  return { tone: "waiting", text: t("portal.request.waiting") };
}
