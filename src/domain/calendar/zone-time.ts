import { IANAZone } from "luxon";

const known = new Map<string, ZoneTime>();

/** Milliseconds in a civil day. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Conversions between instants and wall-clock time in one IANA zone. A "wall" value is the local date
 * and time written as if it were UTC milliseconds (`Date.UTC(y, m, d, h, min)`), so civil-date
 * arithmetic stays plain integer arithmetic; a "day number" is whole days since 1970-01-01.
 */
export class ZoneTime {
  private readonly zone: IANAZone;

  private constructor(readonly timezone: string) {
    this.zone = IANAZone.create(timezone);
  }

  /** The shared conversions of a zone; throws when `timezone` is not a valid IANA zone name. */
  static of(timezone: string): ZoneTime {
    // Checking a zone builds an Intl formatter (~60 µs), and calendars are built per request.
    let found = known.get(timezone);
    if (!found) {
      if (!IANAZone.isValidZone(timezone)) throw new Error(`"${timezone}" is not a valid IANA time zone`);
      found = new ZoneTime(timezone);
      known.set(timezone, found);
    }
    return found;
  }

  /**
   * The offset in force all through a local day (±30 h around it), or null when it changes nearby. Lets a
   * day's spans convert with plain arithmetic on the great majority of days.
   */
  steadyOffsetOn(dayNumber: number): number | null {
    const midnight = dayNumber * DAY_MS;
    const offset = this.offsetAt(midnight - 30 * HOUR_MS);
    return offset === this.offsetAt(midnight + DAY_MS + 30 * HOUR_MS) && offset === this.offsetAt(midnight - offset)
      ? offset
      : null;
  }

  /** The zone's offset from UTC at `instant`, in milliseconds. */
  offsetAt(instant: number): number {
    return this.zone.offset(instant) * 60_000;
  }

  /** The wall-clock value of `instant`. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /** The local day number of `instant`. */
  dayOf(instant: number): number {
    return Math.floor(this.wallOf(instant) / DAY_MS);
  }

  /**
   * The instant a wall-clock value names. An ambiguous wall time (the repeated hour when clocks fall
   * back) resolves to its first occurrence, and a wall time that does not exist (the skipped hour when
   * clocks spring forward) to the moment the clocks jump, i.e. the first instant whose wall time is not
   * earlier. So the mapping never decreases, and a span's length is the time that really elapses.
   */
  instantOf(wall: number): number {
    // Most days no offset change is near: one offset either side means one exact answer.
    const before = this.offsetAt(wall - 30 * HOUR_MS);
    if (before === this.offsetAt(wall + 30 * HOUR_MS) && this.offsetAt(wall - before) === before) return wall - before;

    // Offsets in force around the transitions that can matter: an instant lies within ±14 h of its wall
    // value, so sampling ±30 h catches the offsets on both sides of any one change nearby.
    const offsets = new Set<number>();
    for (const probe of [wall - 30 * HOUR_MS, wall - 6 * HOUR_MS, wall, wall + 6 * HOUR_MS, wall + 30 * HOUR_MS]) {
      offsets.add(this.offsetAt(probe));
    }
    let best = Number.POSITIVE_INFINITY;
    for (const offset of offsets) {
      const candidate = wall - offset;
      if (this.offsetAt(candidate) === offset && candidate < best) best = candidate;
    }
    if (best !== Number.POSITIVE_INFINITY) return best;

    // In a gap: find the transition by bisection between an instant whose wall time is before `wall`
    // and one whose wall time is after it.
    let lo = wall - Math.max(...offsets);
    let hi = wall - Math.min(...offsets);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.wallOf(mid) >= wall) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

/** The day number of a "YYYY-MM-DD" date (not validated). */
export function dayNumberOf(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** The "YYYY-MM-DD" date of a day number. */
export function isoDateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar year of a day number. */
export function yearOf(dayNumber: number): number {
  return new Date(dayNumber * DAY_MS).getUTCFullYear();
}

/** Whether `s` is a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  return isoDateOf(dayNumberOf(s)) === s;
}
