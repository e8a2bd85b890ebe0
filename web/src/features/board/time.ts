import { t } from "../../i18n";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long something has waited, in words that grow coarser with age: "45 s", "12 min", "1 h 05 min", "2 d 3 h". */
export function formatAge(ms: number): string {
  const v = Math.max(0, ms);
  if (v < MINUTE) return t("board.duration.seconds", { s: Math.floor(v / SECOND) });
  if (v < HOUR) return t("board.duration.minutes", { m: Math.floor(v / MINUTE) });
  if (v < DAY) return t("board.duration.hours", { h: Math.floor(v / HOUR), m: String(Math.floor((v % HOUR) / MINUTE)).padStart(2, "0") });
  return t("board.duration.days", { d: Math.floor(v / DAY), h: Math.floor((v % DAY) / HOUR) });
}

/** Time left as a clock face, "mm:ss" (or "h:mm:ss"), rounded up so it reads 0:00 only when the time is up. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * The server's "now" as this browser estimates it: the board's `generatedAt` plus the time since the answer
 * arrived. Countdowns then agree with the server's deadlines even when the browser's clock is off.
 */
export function serverNow(generatedAt: string, receivedAt: number, clientNow: number): number {
  return new Date(generatedAt).getTime() + (clientNow - receivedAt);
}
