import { parseHolidayRegion, publicHolidaysOf, type PublicHolidays } from "./holiday-region.js";
import { DAY_MS, ZoneTime, dayNumberOf, isIsoDate, isoDateOf, yearOf } from "./zone-time.js";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Opening hours per weekday in the calendar's local time: spans "HH:MM"–"HH:MM", sorted and not
 * overlapping, "24:00" allowed as an end; an empty list closes the day.
 * Example: `mon: [["09:00", "12:30"], ["13:30", "17:00"]]`.
 */
export type WeeklyHours = Record<Weekday, [string, string][]>;

/** A local date ("YYYY-MM-DD") on which the calendar is closed all day. */
export type Holiday = { date: string; name: string };

/** Everything a business-hours calendar is made of, as stored and as the API accepts it. */
export type CalendarSpec = {
  /** IANA zone the hours and holidays are read in. */
  timezone: string;
  hours: WeeklyHours;
  holidays: Holiday[];
  /** A date-holidays region ("DE", "DE-BY", "US-CA", "GB-ENG"): its public holidays close too. */
  holidayRegion?: string | null;
};

/** One problem found in a calendar spec; `path` is relative to the spec (or to `hours`). */
export type CalendarIssue = { path: (string | number)[]; message: string };

/** A bad calendar spec, or a calendar that never opens when an opening was needed. */
export class CalendarError extends Error {
  override name = "CalendarError";
}

/** A calendar open around the clock in UTC, with no holidays: working time is elapsed time. */
export const ALWAYS_OPEN_SPEC: CalendarSpec = Object.freeze({
  timezone: "UTC",
  hours: Object.freeze(Object.fromEntries(WEEKDAYS.map((d) => [d, [["00:00", "24:00"]]])) as WeeklyHours),
  holidays: [],
  holidayRegion: null,
});

/** How far a search for the next opening goes before deciding the calendar never opens. */
const MAX_CLOSED_DAYS = 3 * 366;
const MINUTES_PER_DAY = 1440;
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since midnight of a valid "HH:MM" (or "24:00"). */
function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * The problems in a set of weekly hours, each with its path (`["mon", 1, 0]` is the start of Monday's
 * second span). Shared by the domain and the API schemas so both say the same thing. A missing weekday
 * is a closed day.
 */
export function weeklyHoursIssues(hours: Partial<Record<string, unknown>>): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  for (const [day, spans] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      issues.push({ path: [day], message: `unknown weekday; use ${WEEKDAYS.join(", ")}` });
      continue;
    }
    if (!Array.isArray(spans)) {
      issues.push({ path: [day], message: "must be a list of [start, end] spans" });
      continue;
    }
    let previous: { end: number; text: string } | null = null;
    spans.forEach((span: unknown, i) => {
      if (!Array.isArray(span) || span.length !== 2) {
        issues.push({ path: [day, i], message: 'must be a pair ["HH:MM", "HH:MM"]' });
        return;
      }
      const [start, end] = span as unknown[];
      let bad = false;
      for (const [j, t] of [start, end].entries()) {
        if (typeof t !== "string" || !CLOCK_TIME.test(t)) {
          issues.push({ path: [day, i, j], message: `${JSON.stringify(t)} is not a time written HH:MM (00:00–24:00)` });
          bad = true;
        }
      }
      if (bad) return;
      const [s, e] = [start as string, end as string];
      if (s === "24:00") {
        issues.push({ path: [day, i, 0], message: "24:00 may only end a span" });
        return;
      }
      if (minutesOf(e) <= minutesOf(s)) {
        issues.push({ path: [day, i, 1], message: `a span must end after it starts (${s}–${e})` });
        return;
      }
      if (previous && minutesOf(s) < previous.end) {
        issues.push({
          path: [day, i, 0],
          message: `spans must be sorted and must not overlap: ${s}–${e} starts before ${previous.text} ends`,
        });
      }
      previous = { end: minutesOf(e), text: `${s}–${e}` };
    });
  }
  return issues;
}

/** The problems in a whole calendar spec (zone, hours, holidays, holiday region), with paths. */
export function calendarSpecIssues(spec: CalendarSpec): CalendarIssue[] {
  const issues: CalendarIssue[] = [];
  try {
    ZoneTime.of(spec.timezone);
  } catch {
    issues.push({ path: ["timezone"], message: `${JSON.stringify(spec.timezone)} is not a valid IANA time zone` });
  }
  if (typeof spec.hours !== "object" || spec.hours === null) {
    issues.push({ path: ["hours"], message: "must map weekdays to lists of spans" });
  } else {
    for (const issue of weeklyHoursIssues(spec.hours)) issues.push({ ...issue, path: ["hours", ...issue.path] });
  }
  (spec.holidays ?? []).forEach((h, i) => {
    if (typeof h?.date !== "string" || !isIsoDate(h.date)) {
      const message = `${JSON.stringify(h?.date)} is not a date written YYYY-MM-DD`;
      issues.push({ path: ["holidays", i, "date"], message });
    }
  });
  if (spec.holidayRegion != null && !parseHolidayRegion(spec.holidayRegion)) {
    issues.push({ path: ["holidayRegion"], message: `unknown holiday region ${JSON.stringify(spec.holidayRegion)}` });
  }
  return issues;
}

/** [start, end) in epoch milliseconds. */
type Interval = readonly [number, number];

/**
 * Business hours in an IANA zone, with holidays: the arithmetic of working time that SLA due dates use.
 *
 * Semantics, chosen so that the laws `add(add(s, a), b) = add(s, a + b)` and
 * `workingTimeBetween(s, add(s, d)) = d` hold exactly:
 * - Working time runs only inside open spans; counting from a closed instant starts at the next opening.
 * - A due date that uses up a span exactly is that span's closing time: 8 h from Monday 09:00 in a
 *   09:00–17:00 calendar is Monday 17:00, not Tuesday 09:00. Closing time itself is not open.
 * - Zero working time is due at once: `addWorkingTime(s, 0)` is `s`, even when `s` is outside hours.
 * - A holiday (an explicit date or a `public` holiday of the region) closes its whole local day.
 * - Spans are wall-clock times, so on a DST day a span lasts the time that really elapses: 01:00–03:00
 *   lasts 1 h on a spring-forward day and 3 h on a fall-back day. A time the clocks skip means the moment
 *   they jump; a time they repeat means its first occurrence.
 */
export class BusinessCalendar {
  readonly timezone: string;
  /** Open every minute of every day, no holidays: working time is plain elapsed time. */
  readonly isAlwaysOpen: boolean;
  private readonly zone: ZoneTime;
  /** Merged spans in minutes since local midnight, indexed 0 = Monday … 6 = Sunday. */
  private readonly week: [number, number][][];
  private readonly explicitHolidays = new Map<number, string>();
  private readonly regionalHolidays: PublicHolidays | null;
  private readonly dayCache = new Map<number, Interval[]>();

  /** Validates `spec`; throws a CalendarError naming the first problem. */
  constructor(spec: CalendarSpec) {
    const issues = calendarSpecIssues(spec);
    if (issues.length > 0) {
      const [first] = issues as [CalendarIssue];
      throw new CalendarError(`invalid calendar: ${first.path.join(".")}: ${first.message}`);
    }
    this.timezone = spec.timezone;
    this.zone = ZoneTime.of(spec.timezone);
    this.week = WEEKDAYS.map((day) =>
      mergeSpans((spec.hours[day] ?? []).map(([s, e]) => [minutesOf(s), minutesOf(e)])),
    );
    for (const h of spec.holidays) {
      if (!this.explicitHolidays.has(dayNumberOf(h.date))) this.explicitHolidays.set(dayNumberOf(h.date), h.name);
    }
    const region = spec.holidayRegion != null ? parseHolidayRegion(spec.holidayRegion) : null;
    this.regionalHolidays = region ? publicHolidaysOf(region) : null;
    this.isAlwaysOpen =
      this.week.every((spans) => spans.length === 1 && spans[0]![0] === 0 && spans[0]![1] === MINUTES_PER_DAY) &&
      this.explicitHolidays.size === 0 &&
      this.regionalHolidays === null;
  }

  /** A 24/7 calendar in UTC (ALWAYS_OPEN_SPEC). */
  static alwaysOpen(): BusinessCalendar {
    return new BusinessCalendar(ALWAYS_OPEN_SPEC);
  }

  /**
   * The instant at which `ms` of working time has elapsed after `start`. Counting starts at `start` if
   * the calendar is open then, else at the next opening; the result may be a span's closing time. Zero
   * returns `start`. Fractions of a millisecond are rounded. Throws a CalendarError when the calendar
   * does not open for three years.
   */
  addWorkingTime(start: Date, ms: number): Date {
    const t = instantOf(start, "start");
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`working time must be a finite, non-negative number of ms, got ${ms}`);
    }
    let remaining = Math.round(ms);
    if (remaining === 0) return new Date(t);
    if (this.isAlwaysOpen) return new Date(t + remaining);
    for (const [s, e] of this.intervalsFrom(t)) {
      const from = Math.max(s, t);
      if (remaining <= e - from) return new Date(from + remaining);
      remaining -= e - from;
    }
    throw new Error("unreachable: intervalsFrom ends only by throwing");
  }

  /** Working milliseconds in [a, b); 0 when b is not after a. */
  workingTimeBetween(a: Date, b: Date): number {
    const from = instantOf(a, "a");
    const to = instantOf(b, "b");
    if (to <= from) return 0;
    if (this.isAlwaysOpen) return to - from;
    let total = 0;
    const lastDay = this.zone.dayOf(to) + 1;
    for (let day = this.zone.dayOf(from); day <= lastDay; day++) {
      for (const [s, e] of this.intervalsOn(day)) {
        const overlap = Math.min(e, to) - Math.max(s, from);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  /** Whether `at` lies inside an open span (a span's closing instant does not). */
  isOpen(at: Date): boolean {
    const t = instantOf(at, "at");
    if (this.isAlwaysOpen) return true;
    const day = this.zone.dayOf(t);
    // The next day too: where clocks fall back across midnight, a repeated late hour carries the old date
    // but comes after the new day began. No earlier day can be open: see intervalsFrom.
    for (let d = day; d <= day + 1; d++) {
      if (this.intervalsOn(d).some(([s, e]) => s <= t && t < e)) return true;
    }
    return false;
  }

  /** `at` when the calendar is open then, else the start of the next open span. */
  nextOpening(at: Date): Date {
    const t = instantOf(at, "at");
    if (this.isAlwaysOpen) return new Date(t);
    for (const [s] of this.intervalsFrom(t)) return new Date(Math.max(s, t));
    throw new Error("unreachable: intervalsFrom ends only by throwing");
  }

  /** Whether a local date ("YYYY-MM-DD") is a holiday of this calendar, explicit or regional. */
  isHoliday(localDate: string): boolean {
    return this.holidayName(localDate) !== null;
  }

  /** The name of the holiday on a local date ("YYYY-MM-DD"), or null on an ordinary day. */
  holidayName(localDate: string): string | null {
    if (!isIsoDate(localDate)) throw new RangeError(`${JSON.stringify(localDate)} is not a date written YYYY-MM-DD`);
    return this.holidayOn(dayNumberOf(localDate)) ?? null;
  }

  /** The open spans of a local date ("YYYY-MM-DD") as instants; empty on a closed day. */
  openingsOn(localDate: string): { start: Date; end: Date }[] {
    if (!isIsoDate(localDate)) throw new RangeError(`${JSON.stringify(localDate)} is not a date written YYYY-MM-DD`);
    return this.intervalsOn(dayNumberOf(localDate)).map(([s, e]) => ({ start: new Date(s), end: new Date(e) }));
  }

  private holidayOn(day: number): string | undefined {
    return this.explicitHolidays.get(day) ?? this.regionalHolidays?.nameOn(day, yearOf(day));
  }

  /** The open intervals of one local day, in order, merged where they touch. */
  private intervalsOn(day: number): Interval[] {
    const cached = this.dayCache.get(day);
    if (cached) return cached;
    const spans = this.week[weekdayIndexOf(day)]!;
    const intervals: [number, number][] = [];
    if (spans.length > 0 && this.holidayOn(day) === undefined) {
      const midnight = day * DAY_MS;
      const steady = this.zone.steadyOffsetOn(day);
      const toInstant = (minutes: number) =>
        steady === null ? this.zone.instantOf(midnight + minutes * 60_000) : midnight + minutes * 60_000 - steady;
      for (const [s, e] of spans) {
        const start = toInstant(s);
        const end = toInstant(e);
        if (end <= start) continue; // wholly inside a skipped stretch of wall time
        const last = intervals[intervals.length - 1];
        if (last && last[1] >= start) last[1] = Math.max(last[1], end);
        else intervals.push([start, end]);
      }
    }
    // Long walks visit each day once; the bound keeps a long-lived calendar's memory flat.
    if (this.dayCache.size >= 4096) this.dayCache.clear();
    this.dayCache.set(day, intervals);
    return intervals;
  }

  /**
   * The open intervals that end after `t`, in order, for as long as the caller reads. Throws a
   * CalendarError after MAX_CLOSED_DAYS days in a row without one.
   */
  private *intervalsFrom(t: number): Generator<Interval, never> {
    // A day's hours end by the first instant its wall clock reads the next midnight, which is no later
    // than any instant carrying the next date: so no day before t's local date is still open at t.
    const firstDay = this.zone.dayOf(t);
    let day = firstDay;
    let closedDays = 0;
    for (;;) {
      let found = false;
      for (const interval of this.intervalsOn(day)) {
        if (interval[1] > t) {
          found = true;
          yield interval;
        }
      }
      closedDays = found ? 0 : closedDays + 1;
      if (closedDays > MAX_CLOSED_DAYS) {
        throw new CalendarError(
          `the calendar has no opening hours within ${MAX_CLOSED_DAYS} days of ${isoDateOf(firstDay)} ` +
            `(${this.timezone}): every day is closed or a holiday`,
        );
      }
      day++;
    }
  }
}

/** Weekday index of a day number, 0 = Monday (day 0, 1970-01-01, was a Thursday). */
function weekdayIndexOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Sorted spans with touching neighbours joined (09:00–12:00 and 12:00–17:00 are one span). */
function mergeSpans(spans: [number, number][]): [number, number][] {
  const merged: [number, number][] = [];
  for (const [s, e] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && last[1] >= s) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function instantOf(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid Date`);
  return t;
}
