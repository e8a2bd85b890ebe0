import { Duration } from "luxon";

/**
 * Milliseconds in an ISO 8601 duration ("PT2S", "PT4H", "P1DT12H"), or null when it is not one. A day
 * counts 24 hours of working time; years and months are refused, as their length is ambiguous.
 */
export function isoDurationMs(iso: string): number | null {
  const datePart = iso.split("T")[0] ?? "";
  if (/[YM]/.test(datePart)) return null;
  const d = Duration.fromISO(iso);
  if (!d.isValid) return null;
  return d.as("milliseconds");
}
