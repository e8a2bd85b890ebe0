import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALWAYS_OPEN_SPEC,
  BusinessCalendar,
  CalendarError,
  WEEKDAYS,
  type CalendarSpec,
  type WeeklyHours,
} from "./business-calendar.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

const NINE_TO_FIVE: [string, string][] = [["09:00", "17:00"]];
const CLOSED: [string, string][] = [];

/** Weekly hours with the same spans Monday to Friday (and optionally at the weekend). */
function weekdays(spans: [string, string][], weekend: [string, string][] = CLOSED): WeeklyHours {
  return { mon: spans, tue: spans, wed: spans, thu: spans, fri: spans, sat: weekend, sun: weekend };
}

function everyDay(spans: [string, string][]): WeeklyHours {
  return weekdays(spans, spans);
}

function calendar(spec: Partial<CalendarSpec> = {}): BusinessCalendar {
  return new BusinessCalendar({ timezone: "UTC", hours: weekdays(NINE_TO_FIVE), holidays: [], ...spec });
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe("BusinessCalendar.addWorkingTime: published vectors (Mon–Fri 09:00–17:00)", () => {
  it("Thu 2015-02-26 10:12:34 + 19 h is Mon 2015-03-02 13:12:34", () => {
    expect(iso(calendar().addWorkingTime(at("2015-02-26T10:12:34Z"), 19 * HOUR))).toBe("2015-03-02T13:12:34.000Z");
  });

  it("Sat 2015-02-28 10:13 + 2 h starts counting at Monday's opening: 11:00", () => {
    expect(iso(calendar().addWorkingTime(at("2015-02-28T10:13:00Z"), 2 * HOUR))).toBe("2015-03-02T11:00:00.000Z");
  });

  it("Europe/Berlin: 2013-03-21 09:30 UTC (10:30 local) + 60 min is 10:30 UTC", () => {
    const berlin = calendar({ timezone: "Europe/Berlin" });
    expect(iso(berlin.addWorkingTime(at("2013-03-21T09:30:00Z"), 60 * MINUTE))).toBe("2013-03-21T10:30:00.000Z");
  });
});

describe("BusinessCalendar.addWorkingTime: hours, weekends and boundaries", () => {
  it("skips the weekend: Fri 16:00 + 2 h is Mon 10:00", () => {
    expect(iso(calendar().addWorkingTime(at("2025-01-10T16:00:00Z"), 2 * HOUR))).toBe("2025-01-13T10:00:00.000Z");
  });

  it("skips a lunch break when a day has several spans", () => {
    const cal = calendar({ hours: weekdays([["09:00", "12:30"], ["13:30", "17:00"]]) });
    expect(iso(cal.addWorkingTime(at("2025-01-06T12:00:00Z"), HOUR))).toBe("2025-01-06T14:00:00.000Z");
    // Landing on the start of the break is the end of the morning span, not the afternoon's opening.
    expect(iso(cal.addWorkingTime(at("2025-01-06T12:00:00Z"), 30 * MINUTE))).toBe("2025-01-06T12:30:00.000Z");
    expect(cal.workingTimeBetween(at("2025-01-06T00:00:00Z"), at("2025-01-07T00:00:00Z"))).toBe(7 * HOUR);
    expect(cal.isOpen(at("2025-01-06T13:00:00Z"))).toBe(false);
  });

  it("a due date that uses up the day is closing time: 8 h from 09:00 is 17:00 the same day", () => {
    const cal = calendar();
    const due = cal.addWorkingTime(at("2025-01-06T09:00:00Z"), 8 * HOUR);
    expect(iso(due)).toBe("2025-01-06T17:00:00.000Z");
    // Closing time itself is closed; one more millisecond is due after the next opening.
    expect(cal.isOpen(due)).toBe(false);
    expect(iso(cal.addWorkingTime(due, 1))).toBe("2025-01-07T09:00:00.001Z");
    expect(iso(cal.nextOpening(due))).toBe("2025-01-07T09:00:00.000Z");
  });

  it("counting from before opening starts at the opening", () => {
    expect(iso(calendar().addWorkingTime(at("2025-01-06T03:00:00Z"), HOUR))).toBe("2025-01-06T10:00:00.000Z");
  });

  it("zero working time is due at once, even outside hours", () => {
    const cal = calendar();
    expect(iso(cal.addWorkingTime(at("2025-01-06T10:00:00Z"), 0))).toBe("2025-01-06T10:00:00.000Z");
    expect(iso(cal.addWorkingTime(at("2025-01-11T10:00:00Z"), 0))).toBe("2025-01-11T10:00:00.000Z");
  });

  it("walks day by day for long durations: 400 working hours is 50 working days", () => {
    expect(iso(calendar().addWorkingTime(at("2025-01-06T09:00:00Z"), 400 * HOUR))).toBe("2025-03-14T17:00:00.000Z");
  });

  it("hours ending at 24:00 run on into a span starting at 00:00 the next day", () => {
    const cal = calendar({ hours: weekdays([["20:00", "24:00"]], [["00:00", "02:00"]]) });
    // Fri 23:00 + 3 h: 1 h on Friday, 2 h early Saturday.
    expect(iso(cal.addWorkingTime(at("2025-01-10T23:00:00Z"), 3 * HOUR))).toBe("2025-01-11T02:00:00.000Z");
    expect(cal.isOpen(at("2025-01-11T00:00:00Z"))).toBe(true);
  });

  it("working time between is zero when the end is not after the start", () => {
    const cal = calendar();
    expect(cal.workingTimeBetween(at("2025-01-06T12:00:00Z"), at("2025-01-06T12:00:00Z"))).toBe(0);
    expect(cal.workingTimeBetween(at("2025-01-06T12:00:00Z"), at("2025-01-06T10:00:00Z"))).toBe(0);
  });

  it("refuses a negative or non-finite duration and an invalid date", () => {
    const cal = calendar();
    expect(() => cal.addWorkingTime(at("2025-01-06T09:00:00Z"), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingTime(at("2025-01-06T09:00:00Z"), Number.NaN)).toThrow(RangeError);
    expect(() => cal.addWorkingTime(new Date("nope"), HOUR)).toThrow(RangeError);
  });
});

describe("BusinessCalendar: holidays", () => {
  it("an explicit holiday closes its whole local day", () => {
    const cal = calendar({ holidays: [{ date: "2025-12-24", name: "Company day" }] });
    // Tue 16:00 + 2 h: 1 h on Tuesday, Wednesday closed, 1 h on Thursday.
    expect(iso(cal.addWorkingTime(at("2025-12-23T16:00:00Z"), 2 * HOUR))).toBe("2025-12-25T10:00:00.000Z");
    expect(cal.isHoliday("2025-12-24")).toBe(true);
    expect(cal.holidayName("2025-12-24")).toBe("Company day");
    expect(cal.isOpen(at("2025-12-24T10:00:00Z"))).toBe(false);
    expect(cal.openingsOn("2025-12-24")).toEqual([]);
  });

  it("an explicit holiday is a local date: in Asia/Tokyo it starts at 15:00 UTC the day before", () => {
    const cal = calendar({ timezone: "Asia/Tokyo", hours: everyDay([["00:00", "24:00"]]), holidays: [{ date: "2025-05-05", name: "Kodomo no hi" }] });
    expect(cal.isOpen(at("2025-05-04T14:59:59Z"))).toBe(true);
    expect(cal.isOpen(at("2025-05-04T15:00:00Z"))).toBe(false);
    expect(cal.isOpen(at("2025-05-05T15:00:00Z"))).toBe(true);
  });

  it("region DE closes 25 and 26 December but not Christmas Eve (a bank, not a public, holiday)", () => {
    const cal = calendar({ timezone: "Europe/Berlin", holidayRegion: "DE" });
    expect(cal.isHoliday("2025-12-24")).toBe(false);
    expect(cal.isHoliday("2025-12-25")).toBe(true);
    expect(cal.isHoliday("2025-12-26")).toBe(true);
    // Wed 24 Dec 16:00 local (15:00 UTC) + 2 h: 1 h that day, then Thu/Fri holidays and the weekend.
    expect(iso(cal.addWorkingTime(at("2025-12-24T15:00:00Z"), 2 * HOUR))).toBe("2025-12-29T09:00:00.000Z");
  });

  it("a state's own public holidays count: Epiphany closes DE-BY but not DE", () => {
    expect(calendar({ timezone: "Europe/Berlin", holidayRegion: "DE-BY" }).isHoliday("2025-01-06")).toBe(true);
    expect(calendar({ timezone: "Europe/Berlin", holidayRegion: "DE" }).isHoliday("2025-01-06")).toBe(false);
  });

  it("region US-CA closes Independence Day but not observances", () => {
    const cal = calendar({ timezone: "America/Los_Angeles", holidayRegion: "US-CA" });
    // Thu 3 July 16:00 PDT + 2 h: 1 h that day, Friday the 4th closed, the weekend, 1 h on Monday.
    expect(iso(cal.addWorkingTime(at("2025-07-03T23:00:00Z"), 2 * HOUR))).toBe("2025-07-07T17:00:00.000Z");
    expect(cal.holidayName("2025-07-04")).toBe("Independence Day");
    expect(cal.isHoliday("2025-02-14")).toBe(false); // Valentine's Day: an observance
  });

  it("GB-ENG substitute days are public holidays", () => {
    const cal = calendar({ timezone: "Europe/London", holidayRegion: "gb-eng" });
    expect(cal.isHoliday("2022-12-27")).toBe(true);
  });

  it("explicit and regional holidays combine", () => {
    const cal = calendar({ timezone: "Europe/Berlin", holidayRegion: "DE", holidays: [{ date: "2025-12-22", name: "Inventory" }] });
    expect(cal.workingTimeBetween(at("2025-12-22T00:00:00Z"), at("2025-12-27T00:00:00Z"))).toBe(16 * HOUR);
  });
});

describe("BusinessCalendar: daylight saving time", () => {
  it("Europe/Berlin spring forward: Sat 16:00 CET + 2 h is Sun 10:00 CEST (08:00 UTC)", () => {
    const cal = calendar({ timezone: "Europe/Berlin", hours: everyDay(NINE_TO_FIVE) });
    expect(iso(cal.addWorkingTime(at("2025-03-29T15:00:00Z"), 2 * HOUR))).toBe("2025-03-30T08:00:00.000Z");
  });

  it("Europe/Berlin spring forward: 01:00–03:00 lasts 1 h, a 24 h day lasts 23 h", () => {
    const night = calendar({ timezone: "Europe/Berlin", hours: everyDay([["01:00", "03:00"]]) });
    expect(night.workingTimeBetween(at("2025-03-29T12:00:00Z"), at("2025-03-30T12:00:00Z"))).toBe(HOUR);
    expect(night.openingsOn("2025-03-30").map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ["2025-03-30T00:00:00.000Z", "2025-03-30T01:00:00.000Z"],
    ]);
    const allDay = calendar({ timezone: "Europe/Berlin", hours: everyDay([["00:00", "24:00"]]) });
    const [day] = allDay.openingsOn("2025-03-30");
    expect(day!.end.getTime() - day!.start.getTime()).toBe(23 * HOUR);
  });

  it("a span starting inside the skipped hour starts when the clocks jump", () => {
    const cal = calendar({ timezone: "Europe/Berlin", hours: everyDay([["02:30", "03:15"]]) });
    expect(cal.openingsOn("2025-03-30").map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ["2025-03-30T01:00:00.000Z", "2025-03-30T01:15:00.000Z"],
    ]);
  });

  it("America/New_York fall back: 01:00–03:00 lasts 3 h; Sat 16:00 EDT + 2 h is Sun 10:00 EST", () => {
    const night = calendar({ timezone: "America/New_York", hours: everyDay([["01:00", "03:00"]]) });
    const [span] = night.openingsOn("2025-11-02");
    expect([iso(span!.start), iso(span!.end)]).toEqual(["2025-11-02T05:00:00.000Z", "2025-11-02T08:00:00.000Z"]);
    expect(night.addWorkingTime(at("2025-11-02T05:00:00Z"), 3 * HOUR).toISOString()).toBe("2025-11-02T08:00:00.000Z");

    const day = calendar({ timezone: "America/New_York", hours: everyDay(NINE_TO_FIVE) });
    expect(iso(day.addWorkingTime(at("2025-11-01T20:00:00Z"), 2 * HOUR))).toBe("2025-11-02T15:00:00.000Z");
  });

  it("America/New_York spring forward: 01:00–03:00 lasts 1 h", () => {
    const night = calendar({ timezone: "America/New_York", hours: everyDay([["01:00", "03:00"]]) });
    expect(night.workingTimeBetween(at("2025-03-09T00:00:00Z"), at("2025-03-10T00:00:00Z"))).toBe(HOUR);
  });

  it("a repeated wall time means its first occurrence", () => {
    const cal = calendar({ timezone: "America/New_York", hours: everyDay([["01:30", "01:45"]]) });
    const [span] = cal.openingsOn("2025-11-02");
    expect([iso(span!.start), iso(span!.end)]).toEqual(["2025-11-02T05:30:00.000Z", "2025-11-02T05:45:00.000Z"]);
  });

  it("America/Santiago falls back at midnight: Saturday 22:00–24:00 lasts 3 h", () => {
    const cal = calendar({ timezone: "America/Santiago", hours: { ...everyDay(CLOSED), sat: [["22:00", "24:00"]] } });
    const [span] = cal.openingsOn("2025-04-05");
    expect([iso(span!.start), iso(span!.end)]).toEqual(["2025-04-06T01:00:00.000Z", "2025-04-06T04:00:00.000Z"]);
    // 23:30 the second time round (UTC−4) is still Saturday evening, and open.
    expect(cal.isOpen(at("2025-04-06T03:30:00Z"))).toBe(true);
    // Half an hour left that night, the other half next Saturday from 22:00 (UTC−4).
    expect(iso(cal.addWorkingTime(at("2025-04-06T03:30:00Z"), HOUR))).toBe("2025-04-13T02:30:00.000Z");
  });

  it("a day the zone skipped entirely (Pacific/Apia, 2011-12-30) has no hours", () => {
    const cal = calendar({ timezone: "Pacific/Apia", hours: everyDay(NINE_TO_FIVE) });
    expect(cal.openingsOn("2011-12-30")).toEqual([]);
    // Thu 29 Dec 16:00 (UTC−10) + 2 h: 1 h that day, 1 h on Sat 31 Dec from 09:00 (UTC+14).
    expect(iso(cal.addWorkingTime(at("2011-12-30T02:00:00Z"), 2 * HOUR))).toBe("2011-12-30T20:00:00.000Z");
  });
});

describe("BusinessCalendar: always open and never open", () => {
  it("the 24/7 calendar is plain addition", () => {
    const cal = BusinessCalendar.alwaysOpen();
    expect(cal.isAlwaysOpen).toBe(true);
    expect(iso(cal.addWorkingTime(at("2025-03-29T12:00:00Z"), 48 * HOUR))).toBe("2025-03-31T12:00:00.000Z");
    expect(cal.workingTimeBetween(at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"))).toBe(365 * 24 * HOUR);
  });

  it("a calendar with no hours throws when asked for an opening, but answers the rest", () => {
    const never = calendar({ hours: everyDay(CLOSED) });
    expect(() => never.addWorkingTime(at("2025-01-06T09:00:00Z"), HOUR)).toThrow(CalendarError);
    expect(() => never.addWorkingTime(at("2025-01-06T09:00:00Z"), HOUR)).toThrow(/no opening hours within/);
    expect(() => never.nextOpening(at("2025-01-06T09:00:00Z"))).toThrow(CalendarError);
    expect(never.isOpen(at("2025-01-06T09:00:00Z"))).toBe(false);
    expect(never.workingTimeBetween(at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"))).toBe(0);
    expect(iso(never.addWorkingTime(at("2025-01-06T09:00:00Z"), 0))).toBe("2025-01-06T09:00:00.000Z");
  });
});

describe("BusinessCalendar: validation", () => {
  const bad = (spec: Partial<CalendarSpec>) => () => calendar(spec);

  it("rejects an unknown time zone", () => {
    expect(bad({ timezone: "Mars/Olympus_Mons" })).toThrow(/timezone: "Mars\/Olympus_Mons" is not a valid IANA time zone/);
  });

  it("rejects malformed, reversed, 24:00-starting and overlapping spans", () => {
    expect(bad({ hours: weekdays([["9:00", "17:00"]]) })).toThrow(/hours\.mon\.0\.0: "9:00" is not a time written HH:MM/);
    expect(bad({ hours: weekdays([["17:00", "09:00"]]) })).toThrow(/must end after it starts \(17:00–09:00\)/);
    expect(bad({ hours: weekdays([["09:00", "09:00"]]) })).toThrow(/must end after it starts/);
    expect(bad({ hours: weekdays([["24:00", "24:00"]]) })).toThrow(/24:00 may only end a span/);
    expect(bad({ hours: weekdays([["09:00", "24:01"]]) })).toThrow(/not a time written HH:MM/);
    expect(bad({ hours: weekdays([["09:00", "13:00"], ["12:00", "17:00"]]) })).toThrow(
      /hours\.mon\.1\.0: spans must be sorted and must not overlap: 12:00–17:00 starts before 09:00–13:00 ends/,
    );
    expect(bad({ hours: weekdays([["13:00", "17:00"], ["09:00", "12:00"]]) })).toThrow(/must be sorted/);
  });

  it("accepts touching spans", () => {
    const cal = calendar({ hours: weekdays([["09:00", "12:00"], ["12:00", "17:00"]]) });
    expect(cal.openingsOn("2025-01-06")).toHaveLength(1);
  });

  it("rejects an impossible holiday date and an unknown holiday region", () => {
    expect(bad({ holidays: [{ date: "2025-02-30", name: "x" }] })).toThrow(/holidays\.0\.date/);
    expect(bad({ holidayRegion: "XX" })).toThrow(/unknown holiday region "XX"/);
    expect(bad({ holidayRegion: "DE-ZZ" })).toThrow(/unknown holiday region/);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties, over random calendars in zones with and without DST.

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata"];
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2030, 0, 1);

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** A day's spans on a quarter-hour grid: sorted distinct points paired off into spans. */
const daySpans = fc
  .uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const spans: [string, string][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) spans.push([hhmm(sorted[i]! * 15), hhmm(sorted[i + 1]! * 15)]);
    return spans;
  });

const weeklyHours = fc
  .tuple(...WEEKDAYS.map(() => daySpans))
  .map((days) => Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i]!])) as WeeklyHours)
  .filter((hours) => Object.values(hours).some((spans) => spans.length > 0));

const holidayDates = fc.array(
  fc.integer({ min: FROM, max: TO }).map((t) => ({ date: new Date(t).toISOString().slice(0, 10), name: "random" })),
  { maxLength: 20 },
);

const specs = fc.record({
  timezone: fc.constantFrom(...ZONES),
  hours: weeklyHours,
  holidays: holidayDates,
  holidayRegion: fc.constantFrom(null, "DE", "US-CA"),
});

const instant = fc.integer({ min: FROM, max: TO });
const duration = fc.integer({ min: 0, max: 60 * HOUR });

describe("BusinessCalendar: properties", () => {
  it("adding in two steps is adding the sum", () => {
    fc.assert(
      fc.property(specs, instant, duration, duration, (spec, s, a, b) => {
        const cal = new BusinessCalendar(spec);
        const start = new Date(s);
        expect(cal.addWorkingTime(cal.addWorkingTime(start, a), b).getTime()).toBe(cal.addWorkingTime(start, a + b).getTime());
      }),
      { numRuns: 100 },
    );
  });

  it("the working time up to a due date is the duration added", () => {
    fc.assert(
      fc.property(specs, instant, duration, (spec, s, d) => {
        const cal = new BusinessCalendar(spec);
        const start = new Date(s);
        expect(cal.workingTimeBetween(start, cal.addWorkingTime(start, d))).toBe(d);
      }),
      { numRuns: 100 },
    );
  });

  it("a due date of positive working time is inside an open span or at its closing instant", () => {
    fc.assert(
      fc.property(specs, instant, duration.filter((d) => d > 0), (spec, s, d) => {
        const cal = new BusinessCalendar(spec);
        const due = cal.addWorkingTime(new Date(s), d);
        expect(cal.isOpen(due) || cal.isOpen(new Date(due.getTime() - 1))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("working time is additive over a split point", () => {
    const within = fc.integer({ min: 0, max: 20 * 24 * HOUR });
    fc.assert(
      fc.property(specs, instant, within, within, (spec, a, x, y) => {
        const cal = new BusinessCalendar(spec);
        const [p, q, r] = [new Date(a), new Date(a + x), new Date(a + x + y)];
        expect(cal.workingTimeBetween(p, r)).toBe(cal.workingTimeBetween(p, q) + cal.workingTimeBetween(q, r));
      }),
      { numRuns: 100 },
    );
  });

  it("isOpen, nextOpening and workingTimeBetween agree", () => {
    fc.assert(
      fc.property(specs, instant, (spec, s) => {
        const cal = new BusinessCalendar(spec);
        const t = new Date(s);
        expect(cal.workingTimeBetween(t, new Date(s + 1))).toBe(cal.isOpen(t) ? 1 : 0);
        const next = cal.nextOpening(t);
        expect(next.getTime()).toBeGreaterThanOrEqual(s);
        expect(cal.isOpen(next)).toBe(true);
        expect(cal.workingTimeBetween(t, next)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it("matches minute-by-minute counting where the zone has no DST", () => {
    // An independent model: a minute is open when its local weekday's spans cover it and it is no holiday.
    const fixedSpecs = specs.map((spec) => ({ ...spec, timezone: "Asia/Kolkata", holidayRegion: null }));
    const offset = 330 * MINUTE;
    fc.assert(
      fc.property(fixedSpecs, instant, fc.integer({ min: 0, max: 3 * 24 * 60 }), (spec, s, minutes) => {
        const cal = new BusinessCalendar(spec);
        const start = Math.floor(s / MINUTE) * MINUTE;
        const holidays = new Set(spec.holidays.map((h) => h.date));
        let open = 0;
        for (let m = 0; m < minutes; m++) {
          const local = new Date(start + m * MINUTE + offset);
          const day = WEEKDAYS[(local.getUTCDay() + 6) % 7]!;
          const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
          const covered = spec.hours[day].some(([a, b]) => {
            const [ah, am] = a.split(":").map(Number) as [number, number];
            const [bh, bm] = b.split(":").map(Number) as [number, number];
            return ah * 60 + am <= minuteOfDay && minuteOfDay < bh * 60 + bm;
          });
          if (covered && !holidays.has(local.toISOString().slice(0, 10))) open++;
        }
        expect(cal.workingTimeBetween(new Date(start), new Date(start + minutes * MINUTE))).toBe(open * MINUTE);
      }),
      { numRuns: 50 },
    );
  });

  it("a calendar open around the clock is plain addition, in any zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 0, max: 400 * 24 * HOUR }), (timezone, s, d) => {
        const cal = new BusinessCalendar({ ...ALWAYS_OPEN_SPEC, timezone });
        expect(cal.addWorkingTime(new Date(s), d).getTime()).toBe(s + d);
        expect(cal.workingTimeBetween(new Date(s), new Date(s + d))).toBe(d);
      }),
      { numRuns: 100 },
    );
  });

  it("a 24-hour span every day equals plain addition across DST changes without the fast path", () => {
    // A holiday in the distant past turns off the always-open shortcut, so the day walk is what is tested.
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 0, max: 40 * 24 * HOUR }), (timezone, s, d) => {
        const cal = new BusinessCalendar({
          timezone,
          hours: everyDay([["00:00", "24:00"]]),
          holidays: [{ date: "1990-01-01", name: "far away" }],
        });
        expect(cal.isAlwaysOpen).toBe(false);
        expect(cal.addWorkingTime(new Date(s), d).getTime()).toBe(s + d);
      }),
      { numRuns: 50 },
    );
  });
});
