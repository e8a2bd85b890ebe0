import { IANAZone } from "luxon";
import { z } from "zod";
import { WEEKDAYS, weeklyHoursIssues, type Weekday } from "../domain/calendar/business-calendar.js";
import { holidayRegionCode, parseHolidayRegion } from "../domain/calendar/holiday-region.js";
import { IsoDateTime, Name, Uuid } from "./common.js";

/** "HH:MM" from 00:00 to 24:00; whether 24:00 may stand here is the span's concern. */
const ClockTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be a time written HH:MM (00:00–24:00)");

/** One opening span of a day, [start, end) in local time. */
const Span = z.tuple([ClockTime, ClockTime]);

/**
 * Opening hours per weekday: sorted, non-overlapping spans such as `[["09:00", "12:30"], ["13:30",
 * "17:00"]]`; "24:00" only as an end; open at least once a week. A weekday left out is closed; the
 * parsed value lists all seven.
 */
export const CalendarHours = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(Span).max(48).default([])])) as Record<
      Weekday,
      z.ZodDefault<z.ZodArray<typeof Span>>
    >,
  )
  .superRefine(
    (hours, ctx) => {
      // The domain's own checks, so the API and the calendar engine never disagree about what is valid.
      for (const issue of weeklyHoursIssues(hours)) {
        ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      }
      // A calendar that never opens would make every due date unreachable.
      if (WEEKDAYS.every((d) => hours[d].length === 0)) {
        ctx.addIssue({ code: "custom", path: [], message: "a calendar must be open at some time in the week" });
      }
    },
    // Only on well-formed times, so a malformed one is reported once, at its own field.
    { when: (payload) => payload.issues.length === 0 },
  )
  .meta({ id: "CalendarHours" });

export const Timezone = z
  .string()
  .max(100)
  .refine((tz) => IANAZone.isValidZone(tz), { message: "must be an IANA time zone such as Europe/Berlin" });

export const CalendarHoliday = z.object({
  date: z.iso.date("must be a date written YYYY-MM-DD"),
  name: Name,
});

/** A date-holidays region code ("DE", "DE-BY", "US-CA", "GB-ENG"), stored in date-holidays' spelling. */
export const HolidayRegionCode = z
  .string()
  .trim()
  .max(40)
  .transform((code, ctx) => {
    const region = parseHolidayRegion(code);
    if (!region) {
      ctx.addIssue({
        code: "custom",
        message: `unknown holiday region "${code}": use a country such as DE, or country-state such as DE-BY`,
      });
      return z.NEVER;
    }
    return holidayRegionCode(region);
  });

export const CreateCalendarBody = z.object({
  name: Name,
  timezone: Timezone,
  hours: CalendarHours,
  holidays: z.array(CalendarHoliday).max(1000).default([]),
  holidayRegion: HolidayRegionCode.nullable().optional(),
});

export const UpdateCalendarBody = z
  .object({
    name: Name.optional(),
    timezone: Timezone.optional(),
    hours: CalendarHours.optional(),
    holidays: z.array(CalendarHoliday).max(1000).optional(),
    holidayRegion: HolidayRegionCode.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const CalendarDto = z
  .object({
    id: Uuid,
    name: z.string(),
    timezone: z.string(),
    hours: z.record(z.enum(WEEKDAYS), z.array(z.tuple([z.string(), z.string()]))),
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
    holidayRegion: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: "Calendar" });

export type CalendarHoursInput = z.infer<typeof CalendarHours>;
export type CreateCalendarInput = z.infer<typeof CreateCalendarBody>;
export type UpdateCalendarInput = z.infer<typeof UpdateCalendarBody>;
