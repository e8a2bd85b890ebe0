import { z } from "zod";
import { AGENT_ROLES, ESCALATION_KINDS, ESCALATION_STATUSES, PRIORITIES, SLA_METRICS } from "../domain/vocabulary.js";
import { Timezone } from "./calendar.schemas.js";
import { IsoDateTime, Uuid } from "./common.js";

/** How many rows one tile lists at most; `total` says how many there are in all. */
export const BOARD_TILE_LIMIT = 50;
/** How far ahead "breaching soon" looks. */
export const BOARD_BREACH_HORIZON_MINUTES = 60;

export const BoardQuery = z.object({
  /** The zone whose midnight starts "today" for the breaches tile (the viewer's); the server's zone by default. */
  tz: Timezone.optional(),
});
export type BoardInput = z.infer<typeof BoardQuery>;

const TicketRef = { ticketId: Uuid, ticketNumber: z.number().int(), subject: z.string(), priority: z.enum(PRIORITIES) };
const TeamCount = z.object({ teamId: Uuid, count: z.number().int() });

const BoardEscalation = z.object({
  id: Uuid,
  ...TicketRef,
  kind: z.enum(ESCALATION_KINDS),
  status: z.enum(ESCALATION_STATUSES).exclude(["closed"]),
  toLevelId: Uuid,
  toTeamId: Uuid,
  requestedAt: IsoDateTime,
  acknowledgedAt: IsoDateTime.nullable(),
});

const BoardBreachingSoon = z.object({
  clockId: Uuid,
  ...TicketRef,
  teamId: Uuid,
  metric: z.enum(SLA_METRICS),
  dueAt: IsoDateTime,
});

const BoardBreach = z.object({
  clockId: Uuid,
  ...TicketRef,
  teamId: Uuid,
  metric: z.enum(SLA_METRICS),
  breachedAt: IsoDateTime,
});

export const BoardDto = z
  .object({
    /** The server's time of the figures: countdowns on the page start from it. */
    generatedAt: IsoDateTime,
    /** The start of "today" in `timeZone`. */
    since: IsoDateTime,
    timeZone: z.string(),
    /** Whether the board covers every team (managers, admins) or only the viewer's (leads). */
    allTeams: z.boolean(),
    levels: z.array(z.object({ id: Uuid, name: z.string(), rank: z.number().int() })),
    teams: z.array(z.object({ id: Uuid, name: z.string(), levelId: Uuid })),
    escalations: z.object({
      total: z.number().int(),
      unacknowledged: z.number().int(),
      byTeam: z.array(z.object({ teamId: Uuid, levelId: Uuid, open: z.number().int(), unacknowledged: z.number().int() })),
      /** Unacknowledged first, oldest request first. */
      items: z.array(BoardEscalation),
    }),
    breachingSoon: z.object({
      horizonMinutes: z.number().int(),
      total: z.number().int(),
      byTeam: z.array(TeamCount),
      /** Soonest first; a due time just passed stays until the deadline engine records the breach. */
      items: z.array(BoardBreachingSoon),
    }),
    breachesToday: z.object({
      total: z.number().int(),
      byTeam: z.array(TeamCount),
      /** Newest first. */
      items: z.array(BoardBreach),
    }),
    queues: z.array(z.object({ teamId: Uuid, levelId: Uuid, open: z.number().int(), unassigned: z.number().int() })),
    agents: z.object({
      total: z.number().int(),
      /** Busiest first (open tickets against capacity). */
      items: z.array(
        z.object({
          id: Uuid,
          name: z.string(),
          role: z.enum(AGENT_ROLES),
          availability: z.enum(["online", "away", "offline"]),
          assigned: z.number().int(),
          capacity: z.number().int(),
          teamIds: z.array(Uuid),
        }),
      ),
    }),
  })
  .meta({ id: "Board", description: `The live escalation board; each list holds at most ${BOARD_TILE_LIMIT} rows, with its total beside it.` });
export type Board = z.infer<typeof BoardDto>;
