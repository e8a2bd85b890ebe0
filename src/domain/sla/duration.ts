import { Duration } from "luxon";

const MS_PER_UNIT = { W: 604_800_000n, D: 86_400_000n, H: 3_600_000n, M: 60_000n, S: 1_000n } as const;
const NUMBER = String.raw`(-?\d+(?:[.,]\d+)?)`;
const PARTS = new RegExp(`^(-)?P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`);

/**
 * Milliseconds in an ISO 8601 duration ("PT2S", "PT4H", "P1DT12H"), or null when it is not one. A day
 * counts 24 hours of working time; years and months are refused, as their length is ambiguous.
 *
 * The value is exact: a duration finer than a millisecond ("PT0.0001S", "PT0.0015S") comes back with its
 * fraction (0.1, 1.5), never cut to a whole number, so validation can refuse it; clocks count whole ms.
 */
export function isoDurationMs(iso: string): number | null {
  const datePart = iso.split("T")[0] ?? "";
  if (/[YM]/.test(datePart)) return null;
  const d = Duration.fromISO(iso);
  if (!d.isValid) return null;
  return exactMs(iso) ?? d.as("milliseconds");
}

/** The exact value of the duration's parts, summed as decimals (luxon keeps only three digits of seconds). */
function exactMs(iso: string): number | null {
  const m = PARTS.exec(iso);
  if (!m) return null;
  const units = ["W", "D", "H", "M", "S"] as const;
  const parts = units.flatMap((unit, i) => {
    const text = m[i + 2];
    if (text === undefined) return [];
    const [whole = "0", fraction = ""] = text.replace(",", ".").split(".");
    const negative = whole.startsWith("-");
    const digits = BigInt(whole.replace("-", "") + fraction);
    return [{ value: (negative ? -digits : digits) * MS_PER_UNIT[unit], scale: fraction.length }];
  });
  const scale = Math.max(0, ...parts.map((p) => p.scale));
  const total = parts.reduce((sum, p) => sum + p.value * 10n ** BigInt(scale - p.scale), 0n) * (m[1] ? -1n : 1n);
  const denominator = 10n ** BigInt(scale);
  return total % denominator === 0n ? Number(total / denominator) : Number(total) / Number(denominator);
}
