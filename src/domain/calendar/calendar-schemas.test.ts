import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { CalendarHours, CreateCalendarBody, UpdateCalendarBody } from "../../schemas/calendar.schemas.js";

// The API schemas for calendars, tested beside the calendar they describe.

const issuesOf = (result: z.ZodSafeParseResult<unknown>) =>
  result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));

const body = {
  name: "Berlin office",
  timezone: "Europe/Berlin",
  hours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] },
};

describe("CreateCalendarBody", () => {
  it("accepts a calendar, fills closed weekdays and no holidays, and spells the region as date-holidays does", () => {
    const parsed = CreateCalendarBody.parse({ ...body, holidayRegion: "de-by" });
    expect(parsed.hours.sun).toEqual([]);
    expect(parsed.hours.mon).toEqual([["09:00", "17:00"]]);
    expect(parsed.holidays).toEqual([]);
    expect(parsed.holidayRegion).toBe("DE-BY");
  });

  it("accepts several spans a day, touching spans and 24:00 as an end", () => {
    const hours = { mon: [["00:00", "08:00"], ["08:00", "12:30"], ["13:30", "24:00"]] };
    expect(issuesOf(CalendarHours.safeParse(hours))).toEqual([]);
  });

  it("rejects an unknown time zone", () => {
    expect(issuesOf(CreateCalendarBody.safeParse({ ...body, timezone: "Europe/Atlantis" }))).toEqual([
      { path: "timezone", message: "must be an IANA time zone such as Europe/Berlin" },
    ]);
  });

  it("rejects unknown holiday regions: country, state and region must exist", () => {
    for (const code of ["XX", "DE-XX", "US-CA-ZZ", "DE--BY"]) {
      const issues = issuesOf(CreateCalendarBody.safeParse({ ...body, holidayRegion: code }));
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe("holidayRegion");
      expect(issues[0]!.message).toMatch(/unknown holiday region/);
    }
    expect(CreateCalendarBody.parse({ ...body, holidayRegion: "GB-ENG" }).holidayRegion).toBe("GB-ENG");
    expect(CreateCalendarBody.parse({ ...body, holidayRegion: null }).holidayRegion).toBeNull();
  });

  it("rejects an impossible holiday date", () => {
    const issues = issuesOf(CreateCalendarBody.safeParse({ ...body, holidays: [{ date: "2025-02-29", name: "x" }] }));
    expect(issues).toEqual([{ path: "holidays.0.date", message: "must be a date written YYYY-MM-DD" }]);
  });
});

describe("CalendarHours", () => {
  const check = (hours: unknown) => issuesOf(CalendarHours.safeParse(hours));

  it("names the malformed time", () => {
    expect(check({ mon: [["9:00", "17:00"]] })).toEqual([
      { path: "mon.0.0", message: "must be a time written HH:MM (00:00–24:00)" },
    ]);
    expect(check({ mon: [["09:00", "24:30"]] })[0]!.path).toBe("mon.0.1");
  });

  it("allows 24:00 only as an end", () => {
    expect(check({ mon: [["24:00", "24:00"]] })).toEqual([{ path: "mon.0.0", message: "24:00 may only end a span" }]);
  });

  it("wants each span to end after it starts", () => {
    expect(check({ tue: [["17:00", "09:00"]] })).toEqual([
      { path: "tue.0.1", message: "a span must end after it starts (17:00–09:00)" },
    ]);
  });

  it("wants spans sorted and not overlapping", () => {
    expect(check({ wed: [["09:00", "13:00"], ["12:00", "17:00"]] })).toEqual([
      { path: "wed.1.0", message: "spans must be sorted and must not overlap: 12:00–17:00 starts before 09:00–13:00 ends" },
    ]);
    expect(check({ wed: [["13:00", "17:00"], ["09:00", "12:00"]] })[0]!.path).toBe("wed.1.0");
  });

  it("refuses unknown weekdays and a week with no opening", () => {
    expect(check({ mon: [["09:00", "17:00"]], funday: [] }).map((i) => i.path)).toEqual([""]);
    expect(check({})).toEqual([{ path: "", message: "a calendar must be open at some time in the week" }]);
  });
});

describe("UpdateCalendarBody", () => {
  it("takes any one field", () => {
    expect(UpdateCalendarBody.parse({ name: "Renamed" })).toEqual({ name: "Renamed" });
    expect(UpdateCalendarBody.parse({ holidayRegion: null })).toEqual({ holidayRegion: null });
  });

  it("refuses an empty change", () => {
    expect(issuesOf(UpdateCalendarBody.safeParse({}))).toEqual([{ path: "", message: "nothing to change" }]);
  });

  it("validates what it is given", () => {
    expect(issuesOf(UpdateCalendarBody.safeParse({ hours: { mon: [["10:00", "09:00"]] } }))[0]!.path).toBe("hours.mon.0.1");
  });
});
