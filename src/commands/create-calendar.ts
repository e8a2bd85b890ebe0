import { calendars, type Calendar } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import type { CreateCalendarInput } from "../schemas/calendar.schemas.js";
import type { CommandContext } from "./context.js";
import { buildRequestedCalendar } from "./support/calendar-spec.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Adds a business-hours calendar. Names are unique. */
export async function createCalendar(ctx: CommandContext, input: CreateCalendarInput): Promise<Calendar> {
  authorizeSlaSetup(ctx.actor, "manage", "calendars");
  const spec = { timezone: input.timezone, hours: input.hours, holidays: input.holidays, holidayRegion: input.holidayRegion ?? null };
  buildRequestedCalendar(spec);
  const now = ctx.clock.now();
  try {
    const [row] = await ctx.db
      .insert(calendars)
      .values({ name: input.name, ...spec, createdAt: now, updatedAt: now })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("calendar_exists", "A calendar with this name already exists.");
    throw err;
  }
}
