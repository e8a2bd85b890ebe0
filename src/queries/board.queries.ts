import { and, asc, count, desc, eq, gte, inArray, lt, ne, notInArray, sql, type SQL } from "drizzle-orm";
import { DateTime } from "luxon";
import type { CommandContext } from "../commands/context.js";
import { agents, escalations, levels, slaClocks, teams, tickets } from "../db/schema.js";
import { FINISHED_STATUSES } from "../domain/vocabulary.js";
import { authorizeBoard } from "../policies/board.policy.js";
import { BOARD_BREACH_HORIZON_MINUTES, BOARD_TILE_LIMIT, type Board } from "../schemas/board.schemas.js";

const MINUTE = 60_000;
const iso = (d: Date) => d.toISOString();

/**
 * The live board for a lead (their teams) or a manager or admin (every team): open escalations, SLA targets
 * due within the hour, today's breaches, queue depth and agent load.
 *
 * Why it stays fast however many tickets there are: every tile is one grouped count plus one list cut at
 * BOARD_TILE_LIMIT rows, and each reads only the live part of its table through a partial index —
 * `escalations_open_idx` (status <> 'closed'), `sla_clocks_running_due_idx` (running clocks by due time,
 * read for one hour ahead), `sla_clocks_breached_idx` (breaches by time, read from midnight), and
 * `tickets_status_idx` for open tickets. Nothing walks closed tickets or history. The ten statements run
 * in one read-only repeatable-read transaction, so the tiles agree with each other (a breach is not both
 * "due soon" and "breached").
 */
export async function getBoard(ctx: CommandContext, input: { timeZone: string }): Promise<Board> {
  const scope = authorizeBoard(ctx.actor);
  const now = ctx.clock.now();
  const since = DateTime.fromJSDate(now, { zone: input.timeZone }).startOf("day").toJSDate();
  const horizon = new Date(now.getTime() + BOARD_BREACH_HORIZON_MINUTES * MINUTE);
  const inScope = (column: typeof tickets.teamId | typeof teams.id | typeof escalations.toTeamId): SQL | undefined =>
    scope.all ? undefined : inArray(column, scope.teamIds);
  const ticketIsOpen = notInArray(tickets.status, [...FINISHED_STATUSES]);
  const ticketRef = { ticketId: tickets.id, ticketNumber: tickets.number, subject: tickets.subject, priority: tickets.priority };

  return ctx.db.transaction(
    async (tx) => {
      const teamRows = await tx
        .select({ id: teams.id, name: teams.name, levelId: teams.levelId, rank: levels.rank })
        .from(teams)
        .innerJoin(levels, eq(levels.id, teams.levelId))
        .where(inScope(teams.id))
        .orderBy(asc(levels.rank), asc(teams.name));
      const levelRows = await tx.select({ id: levels.id, name: levels.name, rank: levels.rank }).from(levels).orderBy(asc(levels.rank));
      const levelsShown = new Set(teamRows.map((t) => t.levelId));

      // Open escalations: still active (open or acknowledged), counted where they were sent to.
      const activeEscalation = and(ne(escalations.status, "closed"), inScope(escalations.toTeamId));
      const escalationCounts = await tx
        .select({
          teamId: escalations.toTeamId,
          levelId: escalations.toLevelId,
          open: count(),
          unacknowledged: sql<number>`count(*) filter (where ${escalations.status} = 'open')`.mapWith(Number),
        })
        .from(escalations)
        .where(activeEscalation)
        .groupBy(escalations.toTeamId, escalations.toLevelId);
      const escalationItems = await tx
        .select({
          id: escalations.id,
          ...ticketRef,
          kind: escalations.kind,
          status: escalations.status,
          toLevelId: escalations.toLevelId,
          toTeamId: escalations.toTeamId,
          requestedAt: escalations.requestedAt,
          acknowledgedAt: escalations.acknowledgedAt,
        })
        .from(escalations)
        .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
        .where(activeEscalation)
        .orderBy(sql`${escalations.status} = 'open' desc`, asc(escalations.requestedAt), asc(escalations.id))
        .limit(BOARD_TILE_LIMIT);

      // Breaching soon: running clocks due before the horizon, including one whose due time has just passed
      // and that the deadline engine is about to mark (it does so within a second).
      const dueSoon = and(eq(slaClocks.state, "running"), lt(slaClocks.dueAt, horizon), inScope(tickets.teamId));
      const dueSoonCounts = await tx
        .select({ teamId: tickets.teamId, count: count() })
        .from(slaClocks)
        .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
        .where(dueSoon)
        .groupBy(tickets.teamId);
      const dueSoonItems = await tx
        .select({ clockId: slaClocks.id, ...ticketRef, teamId: tickets.teamId, metric: slaClocks.metric, dueAt: slaClocks.dueAt })
        .from(slaClocks)
        .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
        .where(dueSoon)
        .orderBy(asc(slaClocks.dueAt), asc(slaClocks.id))
        .limit(BOARD_TILE_LIMIT);

      // Breaches today: every clock breached since midnight, whatever became of it after (met late, still running).
      const breachedToday = and(gte(slaClocks.breachedAt, since), inScope(tickets.teamId));
      const breachCounts = await tx
        .select({ teamId: tickets.teamId, count: count() })
        .from(slaClocks)
        .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
        .where(breachedToday)
        .groupBy(tickets.teamId);
      const breachItems = await tx
        .select({ clockId: slaClocks.id, ...ticketRef, teamId: tickets.teamId, metric: slaClocks.metric, breachedAt: slaClocks.breachedAt })
        .from(slaClocks)
        .innerJoin(tickets, eq(tickets.id, slaClocks.ticketId))
        .where(breachedToday)
        .orderBy(desc(slaClocks.breachedAt), asc(slaClocks.id))
        .limit(BOARD_TILE_LIMIT);

      // Queue depth: open tickets per team, and how many of them nobody holds.
      const queueCounts = await tx
        .select({
          teamId: tickets.teamId,
          open: count(),
          unassigned: sql<number>`count(*) filter (where ${tickets.assigneeId} is null)`.mapWith(Number),
        })
        .from(tickets)
        .where(and(ticketIsOpen, inScope(tickets.teamId)))
        .groupBy(tickets.teamId);

      // Agent load: active members of the teams shown, with their open tickets (all of them, whichever team).
      // Written with table aliases: drizzle leaves columns unqualified in a one-table select, which inside a
      // subquery would name the subquery's own columns.
      const memberOfScope = scope.all
        ? undefined
        : sql`exists (select 1 from agent_teams m where m.agent_id = agents.id and ${inArray(sql`m.team_id`, scope.teamIds)})`;
      const openAssigned = sql<number>`(select count(*) from tickets t where t.assignee_id = agents.id
        and t.status not in ('resolved', 'closed'))`.mapWith(Number);
      const agentRows = await tx
        .select({
          id: agents.id,
          name: agents.name,
          role: agents.role,
          availability: agents.availability,
          capacity: agents.capacity,
          assigned: openAssigned,
          teamIds: sql<string[]>`coalesce((select array_agg(m.team_id::text order by m.team_id) from agent_teams m where m.agent_id = agents.id), '{}')`,
          total: sql<number>`count(*) over ()`.mapWith(Number),
        })
        .from(agents)
        .where(and(eq(agents.active, true), memberOfScope))
        .orderBy(sql`(${openAssigned})::float / greatest(${agents.capacity}, 1) desc`, asc(agents.name), asc(agents.id))
        .limit(BOARD_TILE_LIMIT);

      const teamLevel = new Map(teamRows.map((t) => [t.id, t.levelId]));
      const queueByTeam = new Map(queueCounts.map((q) => [q.teamId, q]));
      const sum = (rows: { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
      return {
        generatedAt: iso(now),
        since: iso(since),
        timeZone: input.timeZone,
        allTeams: scope.all,
        levels: levelRows.filter((l) => levelsShown.has(l.id)),
        teams: teamRows.map(({ id, name, levelId }) => ({ id, name, levelId })),
        escalations: {
          total: escalationCounts.reduce((n, r) => n + r.open, 0),
          unacknowledged: escalationCounts.reduce((n, r) => n + r.unacknowledged, 0),
          byTeam: escalationCounts,
          items: escalationItems.map((e) => ({
            ...e,
            status: e.status === "acknowledged" ? ("acknowledged" as const) : ("open" as const),
            requestedAt: iso(e.requestedAt),
            acknowledgedAt: e.acknowledgedAt ? iso(e.acknowledgedAt) : null,
          })),
        },
        breachingSoon: {
          horizonMinutes: BOARD_BREACH_HORIZON_MINUTES,
          total: sum(dueSoonCounts),
          byTeam: dueSoonCounts,
          items: dueSoonItems.map((c) => ({ ...c, dueAt: iso(c.dueAt!) })),
        },
        breachesToday: {
          total: sum(breachCounts),
          byTeam: breachCounts,
          items: breachItems.map((c) => ({ ...c, breachedAt: iso(c.breachedAt!) })),
        },
        // Every team shown has a queue row, an empty queue included: "0 open" is news too.
        queues: teamRows.map((t) => ({
          teamId: t.id,
          levelId: teamLevel.get(t.id)!,
          open: queueByTeam.get(t.id)?.open ?? 0,
          unassigned: queueByTeam.get(t.id)?.unassigned ?? 0,
        })),
        agents: {
          total: agentRows[0]?.total ?? 0,
          items: agentRows.map(({ total: _total, ...a }) => a),
        },
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
