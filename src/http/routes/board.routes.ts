import { getBoard } from "../../queries/board.queries.js";
import { BoardDto, BoardQuery } from "../../schemas/board.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** The live escalation board of leads, managers and admins. */
export function boardRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  app.get("/board", {
    schema: {
      tags: ["board"],
      summary: "The live escalation board: open escalations, targets due within the hour, today's breaches, queues and agent load",
      description:
        "Leads see the teams they belong to; managers and admins every team; agents are refused (403). " +
        "`tz` is the IANA zone whose midnight starts \"today\" for the breaches (the server's `TIERLINE_TIME_ZONE` by default). " +
        "Each list holds at most 50 rows; `total` and `byTeam` count them all.",
      querystring: BoardQuery,
      response: { 200: BoardDto, ...problems(400, 401, 403) },
    },
    handler: async (req) => getBoard(contextOf(req, store, clock), { timeZone: req.query.tz ?? config.timeZone }),
  });
}
