import { listClocks } from "../../queries/sla.queries.js";
import { IdParams } from "../../schemas/common.js";
import { ClockListDto } from "../../schemas/sla.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentClock } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** A ticket's SLA clocks. */
export function clockRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);

  app.get("/tickets/:id/clocks", {
    schema: {
      tags: ["tickets", "sla"],
      summary: "A ticket's SLA clocks with their pause history, oldest first (staff only)",
      description: "`elapsedMs` is the working time used up to now; `isPaused` is true while the clock is neither running nor stopped.",
      params: IdParams,
      response: { 200: ClockListDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => ({ data: (await listClocks(ctx(req), req.params.id)).map(presentClock) }),
  });
}
