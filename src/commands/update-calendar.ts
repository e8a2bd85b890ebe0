import { eq } from "drizzle-orm";
import { calendars, type Calendar } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import type { UpdateCalendarInput } from "../schemas/calendar.schemas.js";
import type { CommandContext } from "./context.js";
import { buildRequestedCalendar, specOf } from "./support/calendar-spec.js";
import { isUniqueViolation } from "./support/db-errors.js";

/**
 * Changes a calendar's name, zone, hours, holidays or holiday region; the fields left out stay. Like a
 * policy change, it counts for due times computed from now on: a running clock keeps its due time until
 * it is paused and resumed, its priority changes, or the policies are re-applied.
 */
export async function updateCalendar(ctx: CommandContext, calendarId: string, input: UpdateCalendarInput): Promise<Calendar> {
  authorizeSlaSetup(ctx.actor, "manage", "calendars");
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.select().from(calendars).where(eq(calendars.id, calendarId)).for("update");
      if (!row) throw notFound("calendar_not_found", "Calendar", calendarId);
      const next = {
        name: input.name ?? row.name,
        ...specOf({
          timezone: input.timezone ?? row.timezone,
          hours: input.hours ?? row.hours,
          holidays: input.holidays ?? row.holidays,
          holidayRegion: input.holidayRegion === undefined ? row.holidayRegion : input.holidayRegion,
        }),
      };
      buildRequestedCalendar(next);
      const [updated] = await tx
        .update(calendars)
        .set({ ...next, holidayRegion: next.holidayRegion ?? null, updatedAt: now })
        .where(eq(calendars.id, calendarId))
        .returning();
      return updated!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("calendar_exists", "A calendar with this name already exists.");
    throw err;
  }
}
