import { DateTime } from "luxon";

/**
 * A time as mail shows it, in the reader's zone: `Mon 2 Mar 2026, 10:00 CET`. The zone's abbreviation
 * comes from the British English names (CET, CEST, GMT, BST); American zones use the American ones (EST,
 * PDT); a zone without a common abbreviation shows its offset (`GMT+5:30`). Empty for no or a bad time.
 */
export function formatMailTime(d: Date | string | null | undefined, zone: string): string {
  if (!d) return "";
  const date = typeof d === "string" ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return "";
  const local = DateTime.fromJSDate(date, { zone });
  const shown = local.isValid ? local : DateTime.fromJSDate(date, { zone: "UTC" });
  return shown.setLocale(shown.zoneName?.startsWith("America/") ? "en-US" : "en-GB").toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}
