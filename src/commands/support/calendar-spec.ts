import type { Calendar } from "../../db/schema.js";
import { BusinessCalendar, calendarSpecIssues, type CalendarSpec, type WeeklyHours } from "../../domain/calendar/business-calendar.js";
import { AppError } from "../../domain/errors.js";

/** The spec a stored calendar describes. */
export function specOf(row: Pick<Calendar, "timezone" | "hours" | "holidays" | "holidayRegion">): CalendarSpec {
  return { timezone: row.timezone, hours: row.hours as WeeklyHours, holidays: row.holidays, holidayRegion: row.holidayRegion };
}

/**
 * The calendar a spec from a request describes. The request schemas already check each field; this is
 * the calendar engine's own word on the whole spec, so nothing is stored that it would refuse to build.
 * A refusal is a 400 validation_failed naming each failing field under `body`.
 */
export function buildRequestedCalendar(spec: CalendarSpec): BusinessCalendar {
  const issues = calendarSpecIssues(spec);
  if (issues.length > 0) {
    const fields = issues.map((i) => ({ path: ["body", ...i.path].join("."), message: i.message }));
    throw new AppError("validation_failed", `The calendar is not valid: ${fields.map((f) => `${f.path} ${f.message}`).join("; ")}`, fields);
  }
  return new BusinessCalendar(spec);
}
