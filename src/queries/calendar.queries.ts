import { eq } from "drizzle-orm";
import { calendars, type Calendar } from "../db/schema.js";
import { BusinessCalendar, CalendarError } from "../domain/calendar/business-calendar.js";
import { AppError, notFound } from "../domain/errors.js";
import { isoDurationMs } from "../domain/sla/duration.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import type { CalendarDueInput } from "../schemas/calendar-due.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { specOf } from "../commands/support/calendar-spec.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** Calendars by name. */
export async function listCalendars(ctx: CommandContext, q: PageInput): Promise<Page<Calendar>> {
  authorizeSlaSetup(ctx.actor, "read", "calendars");
  return pageInOrder(q, "su", [calendars.name, calendars.id], (after, order, limit) =>
    ctx.db.select().from(calendars).where(after).orderBy(...order).limit(limit), (c) => [c.name, c.id]);
}

/** One calendar. */
export async function getCalendar(ctx: CommandContext, calendarId: string): Promise<Calendar> {
  authorizeSlaSetup(ctx.actor, "read", "calendars");
  const [row] = await ctx.db.select().from(calendars).where(eq(calendars.id, calendarId));
  if (!row) throw notFound("calendar_not_found", "Calendar", calendarId);
  return row;
}

/**
 * When `duration` of the calendar's working time has passed after `start`: the due time an SLA target of
 * that length would get, so an admin can check a calendar. 422 calendar_never_open when the calendar
 * (with its holidays) has no opening for years after `start`.
 */
export async function calendarDue(ctx: CommandContext, calendarId: string, q: CalendarDueInput): Promise<Date> {
  const row = await getCalendar(ctx, calendarId);
  const calendar = new BusinessCalendar(specOf(row));
  // The query schema has checked both: an instant with an offset, a duration within bounds.
  const start = new Date(q.start);
  const ms = isoDurationMs(q.duration)!;
  try {
    return calendar.addWorkingTime(start, ms);
  } catch (err) {
    if (err instanceof CalendarError) throw new AppError("calendar_never_open", err.message);
    throw err;
  }
}
