import dayjs from "dayjs";
import type { SlaClock } from "../../api/tickets";
import type { Ticket } from "../../api/types";
import { t, type MessageKey } from "../../i18n";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration in words a person reads at a glance: "2 d 3 h", "2 h 5 min", "25 min", "less than a minute". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return t("ticket.duration.underMinute");
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? t("ticket.duration.daysHours", { d: days, h: hours }) : t("ticket.duration.days", { d: days });
  if (hours > 0) return minutes > 0 ? t("ticket.duration.hoursMinutes", { h: hours, m: minutes }) : t("ticket.duration.hours", { h: hours });
  return t("ticket.duration.minutes", { m: minutes });
}

export type ClockTone = "running" | "soon" | "breached" | "paused" | "done";

/** Why a clock counts no time now: the ticket's status pauses it, or its calendar is closed. */
export type PauseReason = { kind: "status"; status: Ticket["status"] } | { kind: "outside_hours" };

/** Everything a clock chip shows, worked out from the clock, the ticket's status and the time. */
export type ClockChipView = {
  metric: string;
  /** `due Mon 10:00` (dayjs `ddd HH:mm` in the browser's zone), or null for a clock without a due time. */
  due: string | null;
  /** Calendar time to the due time ("in 3 h"), or since the breach ("breached 25 min ago"). */
  calendarLeft: string | null;
  /** What is left of the target in the policy's business hours ("2 h business time"), negative after the target. */
  businessLeft: string | null;
  tone: ClockTone;
  pause: PauseReason | null;
  /** The chip's text, as one line: what a screen reader and the contract read. */
  label: string;
};

const METRIC_LABELS: Record<SlaClock["metric"], MessageKey> = {
  first_response: "ticket.clock.metric.first_response",
  next_response: "ticket.clock.metric.next_response",
  periodic_update: "ticket.clock.metric.periodic_update",
  resolution: "ticket.clock.metric.resolution",
};

/** A running clock with less than this share of its target left is shown as at risk. */
const SOON_SHARE = 0.25;

/** The words and tone of one clock chip at `now`. */
export function describeClock(clock: SlaClock, ticketStatus: Ticket["status"], now: Date): ClockChipView {
  const metric = t(METRIC_LABELS[clock.metric]);
  const finished = clock.state === "met" || clock.state === "cancelled";
  const due = clock.dueAt && !finished ? t("ticket.clock.due", { when: dayjs(clock.dueAt).format("ddd HH:mm") }) : null;
  const breachedAt = clock.breachedAt ? new Date(clock.breachedAt) : clock.dueAt && new Date(clock.dueAt) < now ? new Date(clock.dueAt) : null;
  const isBreached = !finished && (clock.state === "breached" || breachedAt !== null);

  let calendarLeft: string | null = null;
  if (isBreached && breachedAt) calendarLeft = t("ticket.clock.breachedAgo", { ago: formatDuration(now.getTime() - breachedAt.getTime()) });
  else if (clock.dueAt && !finished) calendarLeft = t("ticket.clock.in", { left: formatDuration(new Date(clock.dueAt).getTime() - now.getTime()) });

  const remaining = clock.businessRemainingMs ?? clock.targetMs - clock.elapsedMs;
  const businessLeft = finished
    ? null
    : remaining < 0
      ? t("ticket.clock.businessOver", { over: formatDuration(remaining) })
      : t("ticket.clock.business", { left: formatDuration(remaining) });

  const pause: PauseReason | null = finished
    ? null
    : clock.isPaused
      ? { kind: "status", status: ticketStatus }
      : clock.isOutsideHours
        ? { kind: "outside_hours" }
        : null;

  const tone: ClockTone = finished
    ? "done"
    : isBreached
      ? "breached"
      : pause
        ? "paused"
        : remaining < clock.targetMs * SOON_SHARE
          ? "soon"
          : "running";

  const state = finished ? t(clock.state === "met" ? "ticket.clock.met" : "ticket.clock.cancelled") : null;
  const pauseText = pause ? (pause.kind === "status" ? t("ticket.clock.pausedStatus", { status: t(`ticket.status.${pause.status}`) }) : t("ticket.clock.outsideHours")) : null;
  const label = [metric, state, due, calendarLeft, businessLeft, pauseText].filter(Boolean).join(" · ");
  return { metric, due, calendarLeft, businessLeft, tone, pause, label };
}

/** The pause history of a clock, newest first, as lines: "Mon 10:00 – Mon 11:30 (1 h 30 min)" or "since Mon 10:00". */
export function pauseHistory(clock: SlaClock, now: Date): string[] {
  return [...clock.pauses].reverse().map((p) => {
    const from = dayjs(p.from).format("ddd HH:mm");
    if (!p.to) return t("ticket.clock.pausedSince", { from, length: formatDuration(now.getTime() - new Date(p.from).getTime()) });
    return t("ticket.clock.pausedSpan", { from, to: dayjs(p.to).format("ddd HH:mm"), length: formatDuration(new Date(p.to).getTime() - new Date(p.from).getTime()) });
  });
}

/** Chip colours by tone (Mantine colour names; light variants keep the text contrast). */
// A breach is a filled chip: white on red needs shade 9 for 4.5:1.
export const TONE_COLOR: Record<ClockTone, string> = { running: "blue", soon: "orange", breached: "red.9", paused: "gray", done: "green" };
