import { calendars, slaPolicies } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { SlaPolicy } from "../domain/sla/policy.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";

/** Writes an SLA policy row directly (the API validates the same shape); 24/7 unless a calendar is given. */
export async function insertPolicy(store: Store, fields: Partial<Omit<SlaPolicy, "id">> & { name?: string } = {}): Promise<string> {
  const [row] = await store.db
    .insert(slaPolicies)
    .values({
      name: fields.name ?? `policy ${Math.random().toString(36).slice(2, 8)}`,
      position: fields.position ?? 100,
      active: fields.active ?? true,
      conditions: (fields.conditions ?? {}) as Record<string, string[]>,
      calendarId: fields.calendarId ?? null,
      pauseStatuses: fields.pauseStatuses ?? ["pending", "on_hold"],
      targets: (fields.targets ?? {}) as Record<string, Record<string, string>>,
      steps: fields.steps ?? [],
      ackTimeout: fields.ackTimeout ?? null,
      resolutionCountsAsResponse: fields.resolutionCountsAsResponse ?? false,
    })
    .returning({ id: slaPolicies.id });
  forgetActiveAutomation(store.db);
  return row!.id;
}

/** A Mon–Fri 09:00–17:00 calendar in a zone (UTC by default). */
export async function insertOfficeCalendar(store: Store, timezone = "UTC", name = `office ${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const day: [string, string][] = [["09:00", "17:00"]];
  const [row] = await store.db
    .insert(calendars)
    .values({ name, timezone, hours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] }, holidays: [] })
    .returning({ id: calendars.id });
  return row!.id;
}
