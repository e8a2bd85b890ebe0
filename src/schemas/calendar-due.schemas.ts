import { z } from "zod";
import { IsoDateTime } from "./common.js";
import { IsoDuration } from "./sla.schemas.js";

/** `GET /calendars/{id}/due`: when `duration` of working time has passed after `start`. */
export const CalendarDueQuery = z.object({
  start: IsoDateTime.describe("An instant with its offset, e.g. 2015-02-26T10:12:34Z (URL-encode a + offset as %2B)"),
  duration: IsoDuration.describe("Working time as an ISO 8601 duration, e.g. PT19H; at most P366D, no months or years"),
});

export const CalendarDueDto = z.object({ due: IsoDateTime }).meta({ id: "CalendarDue" });

export type CalendarDueInput = z.infer<typeof CalendarDueQuery>;
