import Holidays from "date-holidays";
import { DAY_MS, dayNumberOf } from "./zone-time.js";

/** A date-holidays region: a country, optionally a state within it and a region within that. */
export type HolidayRegion = { country: string; state?: string; region?: string };

// One instance only answers questions about the lists of countries, states and regions.
const directory = new Holidays();

/** The key of `keys` equal to `code` ignoring case (date-holidays mixes "BY", "ENG", "57", "KATH"). */
function matchKey(keys: Record<string, string> | undefined, code: string): string | undefined {
  return Object.keys(keys ?? {}).find((k) => k.toUpperCase() === code.toUpperCase());
}

/**
 * Parses a region code as date-holidays writes it — "DE", "DE-BY", "US-CA", "GB-ENG", "DE-BY-A" — into
 * its parts with date-holidays' own spelling, or null when the country, state or region does not exist.
 * Letter case in the input does not matter.
 */
export function parseHolidayRegion(code: string): HolidayRegion | null {
  // Calendars are built per request and date-holidays rebuilds its lists on every query: remember answers.
  const key = code.trim().toUpperCase();
  if (!parsed.has(key)) {
    if (parsed.size >= 1000) parsed.clear();
    parsed.set(key, lookUpRegion(key));
  }
  return parsed.get(key) ?? null;
}

const parsed = new Map<string, HolidayRegion | null>();

function lookUpRegion(code: string): HolidayRegion | null {
  const parts = code.split("-");
  if (parts.length > 3 || parts.some((p) => p === "")) return null;
  const [c, s, r] = parts as [string, string | undefined, string | undefined];
  const country = matchKey(directory.getCountries(), c);
  if (!country) return null;
  if (s === undefined) return { country };
  const state = matchKey(directory.getStates(country), s);
  if (!state) return null;
  if (r === undefined) return { country, state };
  const region = matchKey(directory.getRegions(country, state), r);
  if (!region) return null;
  return { country, state, region };
}

/** The canonical code of a region ("DE-BY"). */
export function holidayRegionCode(r: HolidayRegion): string {
  return [r.country, r.state, r.region].filter((p) => p !== undefined).join("-");
}

/**
 * The public holidays of one region, by local day number, loaded a year at a time. Only date-holidays'
 * `public` type counts: bank, school, optional and observance days are working days.
 */
export class PublicHolidays {
  private readonly source: Holidays;
  private readonly loadedYears = new Set<number>();
  private readonly names = new Map<number, string>();

  constructor(region: HolidayRegion) {
    this.source = new Holidays(region, { types: ["public"], languages: ["en"] });
  }

  /** The name of the public holiday on a day, or undefined. */
  nameOn(dayNumber: number, year: number): string | undefined {
    // A holiday of several days that starts late in December spills into the next year.
    this.load(year - 1);
    this.load(year);
    return this.names.get(dayNumber);
  }

  private load(year: number): void {
    if (this.loadedYears.has(year)) return;
    this.loadedYears.add(year);
    for (const h of this.source.getHolidays(year)) {
      if (h.type !== "public") continue;
      // `date` is the local date ("2025-12-25 00:00:00"); some holidays last several days (Eid: 72 h) and
      // a few only part of one: every day the holiday touches is closed as a whole.
      const first = dayNumberOf(h.date.slice(0, 10));
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      for (let d = first; d < first + days; d++) {
        if (!this.names.has(d)) this.names.set(d, h.name);
      }
    }
  }
}

const shared = new Map<string, PublicHolidays>();

/** The shared, lazily filled public holidays of a region: calendars built per request reuse one. */
export function publicHolidaysOf(region: HolidayRegion): PublicHolidays {
  const code = holidayRegionCode(region);
  let found = shared.get(code);
  if (!found) {
    found = new PublicHolidays(region);
    shared.set(code, found);
  }
  return found;
}
