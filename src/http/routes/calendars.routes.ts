import { createCalendar } from "../../commands/create-calendar.js";
import { updateCalendar } from "../../commands/update-calendar.js";
import { calendarDue, getCalendar, listCalendars } from "../../queries/calendar.queries.js";
import { CalendarDueDto, CalendarDueQuery } from "../../schemas/calendar-due.schemas.js";
import { CalendarDto, CreateCalendarBody, UpdateCalendarBody } from "../../schemas/calendar.schemas.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { contextOf } from "../auth.plugin.js";
import { presentCalendar, presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Business-hours calendars: admins write them, staff read them and check due times against them. */
export function calendarRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["sla"];

  app.post("/calendars", {
    schema: { tags, summary: "Create a business-hours calendar", body: CreateCalendarBody, response: { 201: CalendarDto, ...problems(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentCalendar(await createCalendar(ctx(req), req.body))),
  });
  app.get("/calendars", {
    schema: { tags, summary: "List calendars by name", querystring: PageQuery, response: { 200: pageOf(CalendarDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listCalendars(ctx(req), req.query), presentCalendar),
  });
  app.get("/calendars/:id", {
    schema: { tags, summary: "Get a calendar", params: IdParams, response: { 200: CalendarDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentCalendar(await getCalendar(ctx(req), req.params.id)),
  });
  app.patch("/calendars/:id", {
    schema: {
      tags,
      summary: "Change a calendar's name, zone, hours, holidays or holiday region",
      description: "Due times computed from now on use the new calendar; running clocks move when the SLA policies are re-applied.",
      params: IdParams,
      body: UpdateCalendarBody,
      response: { 200: CalendarDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentCalendar(await updateCalendar(ctx(req), req.params.id, req.body)),
  });
  app.get("/calendars/:id/due", {
    schema: {
      tags,
      summary: "When a duration of working time after an instant is due",
      description: "E.g. `?start=2015-02-26T10:12:34Z&duration=PT19H`. The answer may be a span's closing time; counting from a closed instant starts at the next opening.",
      params: IdParams,
      querystring: CalendarDueQuery,
      response: { 200: CalendarDueDto, ...problems(400, 401, 403, 404, 422) },
    },
    handler: async (req) => ({ due: (await calendarDue(ctx(req), req.params.id, req.query)).toISOString() }),
  });
}
