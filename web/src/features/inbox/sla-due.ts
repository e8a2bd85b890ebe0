import dayjs from "dayjs";
import { t } from "../../i18n";

/** How close a due is: past it, within the hour, or later. */
export type DueTone = "breached" | "soon" | "later";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span as people say it: "45 min", "3 h 20 min", "2 d 4 h". */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return t("inbox.span.minutes", { m: Math.max(1, Math.round(abs / MINUTE)) });
  if (abs < DAY) {
    const h = Math.floor(abs / HOUR);
    const m = Math.round((abs - h * HOUR) / MINUTE);
    return m === 0 || m === 60 ? t("inbox.span.hours", { h: m === 60 ? h + 1 : h }) : t("inbox.span.hoursMinutes", { h, m });
  }
  const d = Math.floor(abs / DAY);
  const h = Math.round((abs - d * DAY) / HOUR);
  return h === 0 || h === 24 ? t("inbox.span.days", { d: h === 24 ? d + 1 : d }) : t("inbox.span.daysHours", { d, h });
}

/**
 * A ticket's next SLA due as the list shows it: the due time (`ddd HH:mm` in the browser's zone, as on
 * the ticket page) and the time left to breach, or how long ago it breached.
 */
export function describeDue(dueAt: string, now: number): { due: string; left: string; tone: DueTone } {
  const at = dayjs(dueAt);
  const ms = at.valueOf() - now;
  const due = t("inbox.due.at", { time: at.format("ddd HH:mm") });
  if (ms <= 0) return { due, left: t("inbox.due.breached", { span: formatSpan(ms) }), tone: "breached" };
  return { due, left: t("inbox.due.left", { span: formatSpan(ms) }), tone: ms < HOUR ? "soon" : "later" };
}

/** When something happened, relative to now: "5 min ago", "3 h ago", or a date for older things. */
export function formatAgo(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (ms < MINUTE) return t("inbox.ago.now");
  if (ms < 7 * DAY) return t("inbox.ago.span", { span: formatSpan(ms) });
  return dayjs(iso).format("D MMM YYYY");
}
