import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { calendars } from "../../db/schema.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { startHarness } from "../../test-support/harness.js";
import { ticketApi, type Caller } from "../../test-support/ticket-api.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
const OFFICE_DAY: [string, string][] = [["09:00", "17:00"]];
const OFFICE_HOURS = { mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: OFFICE_DAY, fri: OFFICE_DAY };


describe("calendars", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const carol = await t.signIn("carol@customer.test");
  const tag = () => randomUUID().slice(0, 8);

  /** Creates a calendar as the admin and returns it, asserting 201. */
  async function createCalendar(body: Record<string, unknown> = {}) {
    const res = await send(as.admin, "POST", "/calendars", { name: `Office ${tag()}`, timezone: "UTC", hours: OFFICE_HOURS, ...body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  async function calendarRows() {
    return h.store.db.select().from(calendars);
  }

  /** The due time the API gives, asserting 200. */
  async function due(calendarId: string, start: string, duration: string, who: Caller = as.alice): Promise<string> {
    const res = await send(who, "GET", `/calendars/${calendarId}/due?start=${encodeURIComponent(start)}&duration=${duration}`);
    expect(res.status, res.text).toBe(200);
    return res.body.due;
  }

  describe("create and read", () => {
    it("creates a calendar: 201 with every weekday listed, the region spelt canonically", async () => {
      const name = `Berlin ${tag()}`;
      const res = await send(as.admin, "POST", "/calendars", {
        name: `  ${name} `,
        timezone: "Europe/Berlin",
        hours: { mon: [["08:00", "12:00"], ["13:00", "17:30"]], fri: [["09:00", "15:00"]] },
        holidays: [{ date: "2026-12-24", name: "Christmas Eve" }],
        holidayRegion: "de-by",
      });
      expect(res.status, res.text).toBe(201);
      const now = h.clock.now().toISOString();
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        name,
        timezone: "Europe/Berlin",
        hours: { mon: [["08:00", "12:00"], ["13:00", "17:30"]], tue: [], wed: [], thu: [], fri: [["09:00", "15:00"]], sat: [], sun: [] },
        holidays: [{ date: "2026-12-24", name: "Christmas Eve" }],
        holidayRegion: "DE-BY",
        createdAt: now,
        updatedAt: now,
      });
      const got = await send(as.alice, "GET", `/calendars/${res.body.id}`);
      expect(got.status, got.text).toBe(200);
      expect(got.body).toEqual(res.body);
    });

    it("defaults to no holidays and no region", async () => {
      const cal = await createCalendar();
      expect(cal.holidays).toEqual([]);
      expect(cal.holidayRegion).toBeNull();
    });

    it("lists calendars by name and pages through them with a cursor", async () => {
      const prefix = `Page ${tag()}`;
      for (const n of ["c", "a", "b"]) await createCalendar({ name: `${prefix} ${n}` });
      const all = await t.all(as.lena, "/calendars");
      const names = all.map((c) => c.name as string);
      expect(names.filter((n) => n.startsWith(prefix))).toEqual([`${prefix} a`, `${prefix} b`, `${prefix} c`]);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const paged = await t.all(as.lena, "/calendars", 1);
      expect(paged.map((c) => c.id)).toEqual(all.map((c) => c.id));
    });

    it("answers an unknown calendar with 404 calendar_not_found, and a bad id with 400", async () => {
      expectProblem(await send(as.admin, "GET", `/calendars/${UNKNOWN_ID}`), 404, "calendar_not_found");
      expectInvalid(await send(as.admin, "GET", "/calendars/not-a-uuid"), ["params.id"]);
    });

    it("answers a duplicate name with 409 calendar_exists and writes nothing", async () => {
      const cal = await createCalendar();
      const before = (await calendarRows()).length;
      expectProblem(await send(as.admin, "POST", "/calendars", { name: cal.name, timezone: "UTC", hours: OFFICE_HOURS }), 409, "calendar_exists");
      expect((await calendarRows()).length).toBe(before);
    });
  });

  describe("validation", () => {
    const valid = () => ({ name: `Invalid ${tag()}`, timezone: "UTC", hours: OFFICE_HOURS });

    it("rejects a bad spec with 400 validation_failed naming each failing field, and writes nothing", async () => {
      const before = (await calendarRows()).length;
      const post = (body: Record<string, unknown>) => send(as.admin, "POST", "/calendars", { ...valid(), ...body });
      expectInvalid(await post({ timezone: "Mars/Olympus_Mons" }), ["body.timezone"]);
      expectInvalid(await post({ hours: { mon: [["09:00", "13:00"], ["12:00", "17:00"]] } }), ["body.hours.mon.1.0"]);
      expectInvalid(await post({ hours: { tue: [["09:00", "25:00"]] } }), ["body.hours.tue.0.1"]);
      expectInvalid(await post({ hours: { wed: [["17:00", "09:00"]] } }), ["body.hours.wed.0.1"]);
      expectInvalid(await post({ hours: { thu: [["24:00", "24:00"]] } }), ["body.hours.thu.0.0"]);
      expectInvalid(await post({ hours: { someday: [["09:00", "17:00"]] } }), ["body.hours"]);
      expectInvalid(await post({ hours: {} }), ["body.hours"]);
      expectInvalid(await post({ holidayRegion: "XX-NOWHERE" }), ["body.holidayRegion"]);
      expectInvalid(await post({ holidayRegion: "DE-XX" }), ["body.holidayRegion"]);
      expectInvalid(await post({ holidays: [{ date: "2026-02-30", name: "No such day" }] }), ["body.holidays.0.date"]);
      expectInvalid(await post({ name: "  " }), ["body.name"]);
      expectInvalid(
        await send(as.admin, "POST", "/calendars", { timezone: "Nowhere", hours: { mon: [["9", "17:00"]] } }),
        ["body.name", "body.timezone", "body.hours.mon.0.0"],
      );
      expect((await calendarRows()).length).toBe(before);
    });

    it("reports a malformed body as 400", async () => {
      expectInvalid(await send(as.admin, "POST", "/calendars", []), ["body"]);
    });
  });

  describe("permissions", () => {
    it("lets only admins create or change calendars (403 forbidden), staff read them, customers nothing", async () => {
      const cal = await createCalendar();
      const name = `Forbidden ${tag()}`;
      for (const who of [as.alice, as.lena, as.mark]) {
        expectProblem(await send(who, "POST", "/calendars", { name, timezone: "UTC", hours: OFFICE_HOURS }), 403, "forbidden");
        expectProblem(await send(who, "PATCH", `/calendars/${cal.id}`, { name }), 403, "forbidden");
        expect((await send(who, "GET", `/calendars/${cal.id}`)).status).toBe(200);
        expect((await send(who, "GET", "/calendars")).status).toBe(200);
        expect((await send(who, "GET", `/calendars/${cal.id}/due?start=2026-03-02T10:00:00Z&duration=PT1H`)).status).toBe(200);
      }
      for (const [method, path] of [
        ["GET", "/calendars"],
        ["GET", `/calendars/${cal.id}`],
        ["GET", `/calendars/${cal.id}/due?start=2026-03-02T10:00:00Z&duration=PT1H`],
      ] as const) {
        expectProblem(await send(carol, method, path), 403, "forbidden");
        expectProblem(await send(undefined, method, path), 401, "unauthenticated");
      }
      expectProblem(await send(carol, "POST", "/calendars", { name, timezone: "UTC", hours: OFFICE_HOURS }), 403, "forbidden");
      expect((await calendarRows()).map((c) => c.name)).not.toContain(name);
      expect((await send(as.admin, "GET", `/calendars/${cal.id}`)).body.name).toBe(cal.name);
    });
  });

  describe("update", () => {
    it("changes the given fields, keeps the rest and moves updatedAt", async () => {
      const cal = await createCalendar({ holidays: [{ date: "2026-05-01", name: "May Day" }], holidayRegion: "DE" });
      h.clock.advance(60_000);
      const newName = `Renamed ${tag()}`;
      const res = await send(as.admin, "PATCH", `/calendars/${cal.id}`, { name: newName, hours: { sat: [["10:00", "14:00"]] } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({
        ...cal,
        name: newName,
        hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [["10:00", "14:00"]], sun: [] },
        updatedAt: h.clock.now().toISOString(),
      });
      expect((await send(as.admin, "GET", `/calendars/${cal.id}`)).body).toEqual(res.body);

      const cleared = await send(as.admin, "PATCH", `/calendars/${cal.id}`, { holidayRegion: null, holidays: [] });
      expect(cleared.status, cleared.text).toBe(200);
      expect(cleared.body).toMatchObject({ holidayRegion: null, holidays: [], name: newName, timezone: "UTC" });
    });

    it("changes the answers of the due endpoint", async () => {
      const cal = await createCalendar();
      expect(await due(cal.id, "2026-03-02T16:00:00Z", "PT2H")).toBe("2026-03-03T10:00:00.000Z");
      await send(as.admin, "PATCH", `/calendars/${cal.id}`, { timezone: "America/New_York" });
      // 16:00 UTC is 11:00 in New York (EST, UTC-5): two hours later is 13:00 local.
      expect(await due(cal.id, "2026-03-02T16:00:00Z", "PT2H")).toBe("2026-03-02T18:00:00.000Z");
    });

    it("rejects bad changes with 400 (field paths) or 409 and leaves the calendar as it was", async () => {
      const cal = await createCalendar();
      const other = await createCalendar();
      const patch = (body: unknown) => send(as.admin, "PATCH", `/calendars/${cal.id}`, body);
      expectInvalid(await patch({ timezone: "Europe/Atlantis" }), ["body.timezone"]);
      expectInvalid(await patch({ hours: { fri: [["09:00", "12:00"], ["11:00", "13:00"]] } }), ["body.hours.fri.1.0"]);
      expectInvalid(await patch({ hours: { fri: [["25:00", "26:00"]] } }), ["body.hours.fri.0.0", "body.hours.fri.0.1"]);
      expectInvalid(await patch({ holidayRegion: "ZZ" }), ["body.holidayRegion"]);
      expectInvalid(await patch({}), ["body"]);
      expectProblem(await patch({ name: other.name }), 409, "calendar_exists");
      expect((await send(as.admin, "GET", `/calendars/${cal.id}`)).body).toEqual(cal);
      expectProblem(await send(as.admin, "PATCH", `/calendars/${UNKNOWN_ID}`, { name: `X ${tag()}` }), 404, "calendar_not_found");
    });
  });

  describe("GET /calendars/{id}/due", () => {
    it("answers the published vectors (Mon–Fri 09:00–17:00 UTC)", async () => {
      const cal = await createCalendar();
      expect(await due(cal.id, "2015-02-26T10:12:34Z", "PT19H")).toBe("2015-03-02T13:12:34.000Z");
      // A Saturday start counts from Monday's opening.
      expect(await due(cal.id, "2015-02-28T10:13:00Z", "PT2H")).toBe("2015-03-02T11:00:00.000Z");
    });

    it("answers the published vector in Europe/Berlin (Mon–Fri 09–17)", async () => {
      const cal = await createCalendar({ timezone: "Europe/Berlin" });
      expect(await due(cal.id, "2013-03-21T09:30:00Z", "PT60M")).toBe("2013-03-21T10:30:00.000Z");
    });

    it("reads any offset in start and answers in UTC; zero is due at once; a used-up span ends at closing time", async () => {
      const cal = await createCalendar();
      expect(await due(cal.id, "2015-02-26T11:12:34+01:00", "PT19H")).toBe("2015-03-02T13:12:34.000Z");
      expect(await due(cal.id, "2015-02-28T10:13:00Z", "PT0S")).toBe("2015-02-28T10:13:00.000Z");
      expect(await due(cal.id, "2015-03-02T09:00:00Z", "PT8H")).toBe("2015-03-02T17:00:00.000Z");
      expect(await due(cal.id, "2015-03-02T09:00:00Z", "P1D")).toBe("2015-03-04T17:00:00.000Z");
    });

    it("skips explicit holidays and the public holidays of the region", async () => {
      const explicit = await createCalendar({ holidays: [{ date: "2015-03-02", name: "Closed Monday" }] });
      expect(await due(explicit.id, "2015-02-28T10:13:00Z", "PT2H")).toBe("2015-03-03T11:00:00.000Z");
      // 4 July 2025 (a Friday) is a US public holiday.
      const us = await createCalendar({ holidayRegion: "US" });
      expect(await due(us.id, "2025-07-03T16:00:00Z", "PT2H")).toBe("2025-07-07T10:00:00.000Z");
    });

    it("rejects a bad start or duration with 400 naming the query field", async () => {
      const cal = await createCalendar();
      const ask = (query: string) => send(as.alice, "GET", `/calendars/${cal.id}/due?${query}`);
      expectInvalid(await ask("start=2015-02-26&duration=PT1H"), ["querystring.start"]);
      expectInvalid(await ask("start=yesterday&duration=PT1H"), ["querystring.start"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34&duration=PT1H"), ["querystring.start"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34Z&duration=2h"), ["querystring.duration"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34Z&duration=P1M"), ["querystring.duration"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34Z&duration=-PT1H"), ["querystring.duration"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34Z&duration=P400D"), ["querystring.duration"]);
      expectInvalid(await ask("start=2015-02-26T10:12:34Z&duration=PT0.000001H"), ["querystring.duration"]);
      expectInvalid(await ask(""), ["querystring.start", "querystring.duration"]);
      expectProblem(
        await send(as.alice, "GET", `/calendars/${UNKNOWN_ID}/due?start=2015-02-26T10:12:34Z&duration=PT1H`),
        404,
        "calendar_not_found",
      );
    });

    it("answers 422 calendar_never_open when holidays close every opening for years", async () => {
      // Open on Mondays only, and every Monday of 2030–2033 is a holiday.
      const mondays = Array.from({ length: 4 * 53 }, (_, i) => ({
        date: new Date(Date.UTC(2030, 0, 7) + i * 7 * 86_400_000).toISOString().slice(0, 10),
        name: "Closed",
      }));
      const cal = await createCalendar({ hours: { mon: OFFICE_DAY }, holidays: mondays });
      const res = await send(as.alice, "GET", `/calendars/${cal.id}/due?start=2030-01-01T00:00:00Z&duration=PT1H`);
      expectProblem(res, 422, "calendar_never_open");
      // Before the closure it still answers.
      expect(await due(cal.id, "2029-12-31T09:00:00Z", "PT1H")).toBe("2029-12-31T10:00:00.000Z");
    });
  });

  it("stores exactly what it returns", async () => {
    const cal = await createCalendar({ holidayRegion: "gb-eng" });
    const [row] = await h.store.db.select().from(calendars).where(eq(calendars.id, cal.id));
    expect(row!.holidayRegion).toBe("GB-ENG");
    expect(row!.hours).toEqual({ ...OFFICE_HOURS, sat: [], sun: [] });
  });
});
