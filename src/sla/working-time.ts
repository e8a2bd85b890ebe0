import { eq } from "drizzle-orm";
import { calendars } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import { BusinessCalendar } from "../domain/calendar/business-calendar.js";

/** Working-time arithmetic of one calendar; a policy without a calendar counts every hour (24/7). */
export type WorkingTime = {
  add(start: Date, ms: number): Date;
  between(a: Date, b: Date): number;
  /** Whether `at` is working time. */
  isOpen(at: Date): boolean;
};

export const ALWAYS: WorkingTime = {
  add: (start, ms) => new Date(start.getTime() + ms),
  between: (a, b) => Math.max(0, b.getTime() - a.getTime()),
  isOpen: () => true,
};

/** Loads calendars on demand, once per instance of this cache (one per command or engine batch). */
export class WorkingTimeCache {
  private readonly loaded = new Map<string, WorkingTime>();
  constructor(private readonly db: Db | Tx) {}

  async of(calendarId: string | null): Promise<WorkingTime> {
    if (!calendarId) return ALWAYS;
    const hit = this.loaded.get(calendarId);
    if (hit) return hit;
    const [row] = await this.db.select().from(calendars).where(eq(calendars.id, calendarId));
    if (!row) return ALWAYS; // a policy's calendar cannot be deleted while referenced; this is only a guard
    const calendar = new BusinessCalendar({
      timezone: row.timezone,
      hours: row.hours as ConstructorParameters<typeof BusinessCalendar>[0]["hours"],
      holidays: row.holidays,
      holidayRegion: row.holidayRegion,
    });
    const wt: WorkingTime = {
      add: (start, ms) => calendar.addWorkingTime(start, ms),
      between: (a, b) => calendar.workingTimeBetween(a, b),
      isOpen: (at) => calendar.isOpen(at),
    };
    this.loaded.set(calendarId, wt);
    return wt;
  }
}
