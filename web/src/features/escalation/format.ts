import dayjs from "dayjs";
import { locale } from "../../i18n";

/** A moment as the escalation screens show it: weekday, day, month and time in the browser's zone. */
export const formatWhen = (iso: string | null | undefined): string => (iso ? dayjs(iso).format("ddd D MMM HH:mm") : "");

/** A due time as the ticket's clocks show it (`ddd HH:mm`). */
export const formatDue = (iso: string): string => dayjs(iso).format("ddd HH:mm");

/** An amount in its currency, in the catalogue's language (e.g. €250.00). */
export function formatMoney(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** A duration in milliseconds as hours and minutes ("4 h", "1 h 30 min", "45 min"). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
