import { and, count, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { agents, customers, PRIORITY_RANK_SQL, slaClocks, teams, tickets, type Ticket } from "../db/schema.js";
import type { Db } from "../db/store.js";
import { activeEscalationToActor, authorizeTicketListing, ticketViewCondition, ticketVisibility } from "../policies/ticket.policy.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { TICKET_VIEWS, type TicketListInput, type TicketSort, type TicketView } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "../commands/context.js";
import type { Principal } from "../domain/principal.js";
import { decodeCursor, encodeCursor, invalidCursor, type Direction, type Page } from "./cursor.js";

/** A ticket as a list shows it: the record, the names of its people, and its next SLA due. */
export type TicketListRow = { ticket: Ticket; customerName: string; teamName: string; assigneeName: string | null; nextDueAt: Date | null };

/**
 * The time far beyond any due that a ticket without a running clock sorts at (by `due`), in microseconds
 * since 1970 — below 2^53, so the cursor's integer part carries it exactly.
 */
const NO_DUE_US = Date.UTC(2200, 0, 1) * 1000;

/** The earliest due of the ticket's live clocks (a breached clock keeps when it breached); index `sla_clocks_live_due_idx`. */
const nextDue = sql`(select min(c.due_at) from ${slaClocks} c where c.ticket_id = ${tickets.id} and c.stopped_at is null)`;

/** A time as whole microseconds since 1970 (exact: `extract` gives a numeric). */
const micros = (time: SQL) => sql`(extract(epoch from ${time}) * 1000000)::bigint`;
/** Whole microseconds since 1970 back as a time, exactly (no floating point). */
const fromMicros = (us: number) => sql`(timestamptz '1970-01-01 00:00:00+00' + ${us}::bigint * interval '1 microsecond')`;

/**
 * One part of a list's sort key: `order` is what the database orders by (an indexed column or expression),
 * `value` the integer the cursor carries for it, `bound` that integer back in `order`'s type.
 */
type KeyPart = { order: SQL; value: SQL; bound: (v: number) => SQL; dir: Direction };

/**
 * The sort key of each sort, the ticket number last so the key is unique. Each is backed by an index so a
 * page is an index range scan even at a million tickets: `created` the unique `number` (numbers grow with
 * creation), `updated` `tickets_updated_idx (updated_at, number)`, `priority` `tickets_priority_rank_idx`
 * (the rank expression, number); `due` orders by the next due of the ticket's live clocks, read per ticket
 * through `sla_clocks_live_due_idx` — it sorts the tickets the view and filters leave (the open work of a
 * view, not the whole table, since only unfinished tickets have live clocks).
 */
function sortKey(sort: TicketSort, dir: Direction): KeyPart[] {
  const byNumber: KeyPart = { order: sql`${tickets.number}`, value: sql`${tickets.number}`, bound: (v) => sql`${v}::bigint`, dir };
  switch (sort) {
    case "created":
      return [byNumber];
    case "updated":
      return [{ order: sql`${tickets.updatedAt}`, value: micros(sql`${tickets.updatedAt}`), bound: fromMicros, dir }, byNumber];
    case "priority":
      return [{ order: sql`(${PRIORITY_RANK_SQL})`, value: sql`(${PRIORITY_RANK_SQL})`, bound: (v) => sql`${v}::int`, dir }, byNumber];
    case "due": {
      const us = sql`coalesce(${micros(nextDue)}, ${NO_DUE_US}::bigint)`;
      return [{ order: us, value: us, bound: (v) => sql`${v}::bigint`, dir }, byNumber];
    }
  }
}

/** Rows after the cursor's key in the key's order; one row comparison when all parts run one way (index-friendly). */
function afterKey(parts: KeyPart[], key: number[]): SQL {
  const beyond = (p: KeyPart, v: SQL) => (p.dir === "asc" ? sql`${p.order} > ${v}` : sql`${p.order} < ${v}`);
  const bounds = parts.map((p, i) => p.bound(key[i]!));
  if (parts.every((p) => p.dir === parts[0]!.dir)) {
    const row = (xs: SQL[]) => sql`(${sql.join(xs, sql`, `)})`;
    return parts.length === 1 ? beyond(parts[0]!, bounds[0]!) : beyond({ ...parts[0]!, order: row(parts.map((p) => p.order)) }, row(bounds));
  }
  // Mixed directions: (a beyond x) or (a = x and b beyond y) or …
  const alternatives = parts.map((p, i) => and(...parts.slice(0, i).map((q, j) => sql`${q.order} = ${bounds[j]!}`), beyond(p, bounds[i]!))!);
  return sql`(${sql.join(alternatives, sql` or `)})`;
}

/** The filters of a list query other than the view, as SQL conditions. */
function filterConditions(actor: Principal, q: TicketListInput, now: Date): (SQL | undefined)[] {
  const search = q.q
    ? (() => {
        const query = sql`websearch_to_tsquery('simple', ${q.q})`;
        // Customers never search internal notes. Both expressions match the GIN indexes tickets_search_idx / messages_search_idx.
        const noteFilter = actor.kind === "customer" ? sql` and m.kind <> 'internal'` : sql``;
        return sql`(to_tsvector('simple', ${tickets.subject} || ' ' || ${tickets.description}) @@ ${query}
          or ${tickets.id} in (select m.ticket_id from messages m where to_tsvector('simple', m.body) @@ ${query}${noteFilter}))`;
      })()
    : undefined;
  return [
    ticketVisibility(actor),
    q.status ? eq(tickets.status, q.status) : undefined,
    q.levelId ? eq(tickets.levelId, q.levelId) : undefined,
    q.teamId ? eq(tickets.teamId, q.teamId) : undefined,
    q.priority ? eq(tickets.priority, q.priority) : undefined,
    q.assigneeId ? eq(tickets.assigneeId, q.assigneeId) : undefined,
    q.customerId ? eq(tickets.customerId, q.customerId) : undefined,
    q.category ? eq(tickets.category, q.category) : undefined,
    q.channel ? eq(tickets.channel, q.channel) : undefined,
    // `@>` on the GIN index tickets_tags_idx: every tag given.
    q.tag ? sql`${tickets.tags} @> array[${sql.join(q.tag.map((t) => sql`${t}`), sql`, `)}]::text[]` : undefined,
    search,
    q.overdue === undefined
      ? undefined
      : sql`${q.overdue ? sql`` : sql`not `}(${tickets.status} not in ('resolved', 'closed') and exists (select 1 from ${slaClocks} c
          where c.ticket_id = ${tickets.id} and c.stopped_at is null and (c.state = 'breached' or c.due_at < ${now.toISOString()}::timestamptz)))`,
    q.createdFrom ? gte(tickets.createdAt, new Date(q.createdFrom)) : undefined,
    q.createdTo ? lte(tickets.createdAt, new Date(q.createdTo)) : undefined,
    q.updatedFrom ? gte(tickets.updatedAt, new Date(q.updatedFrom)) : undefined,
    q.updatedTo ? lte(tickets.updatedAt, new Date(q.updatedTo)) : undefined,
  ];
}

/**
 * The tickets the actor can see in a view (default `all`), filtered and sorted (default newest first; the
 * at-risk view nearest due first), one keyset page at a time. The escalated view shows unacknowledged
 * escalations first. The cursor carries the view, sort and direction it was made for: a cursor replayed
 * with another order is refused (400), since its key would mean something else there.
 */
export async function listTickets(ctx: CommandContext, q: TicketListInput): Promise<Page<TicketListRow>> {
  authorizeTicketListing(ctx.actor, q);
  const view: TicketView = q.view ?? "all";
  const sort: TicketSort = q.sort ?? (view === "at-risk" ? "due" : "created");
  const dir: Direction = q.dir ?? (sort === "due" ? "asc" : "desc");
  const parts = sortKey(sort, dir);
  if (view === "escalated" && ctx.actor.kind === "agent") {
    const acknowledged = sql`(case when ${activeEscalationToActor(ctx.actor, "open")} then 0 else 1 end)`;
    parts.unshift({ order: acknowledged, value: acknowledged, bound: (v) => sql`${v}::int`, dir: "asc" });
  }
  const tag = `${view}:${sort}:${dir}`;
  const shape = `s${parts.map(() => "n").join("")}`;
  const decoded = decodeCursor(q.cursor, shape);
  if (decoded && decoded[0] !== tag) throw invalidCursor();
  const key = decoded?.slice(1) as number[] | undefined;

  const now = ctx.clock.now();
  const keyColumns = Object.fromEntries(parts.map((p, i) => [`k${i}`, sql<number>`${p.value}`.mapWith(Number)]));
  const rows = await ctx.db
    .select({
      ticket: tickets,
      customerName: customers.name,
      teamName: teams.name,
      assigneeName: agents.name,
      nextDueAt: sql<Date | null>`${nextDue}`.mapWith(slaClocks.dueAt),
      ...keyColumns,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(agents, eq(agents.id, tickets.assigneeId))
    .where(and(...filterConditions(ctx.actor, q, now), ticketViewCondition(ctx.actor, view, q.status !== undefined), key ? afterKey(parts, key) : undefined))
    .orderBy(...parts.map((p) => (p.dir === "asc" ? sql`${p.order} asc` : sql`${p.order} desc`)))
    .limit(q.limit + 1);

  const data = rows.slice(0, q.limit);
  const last = data[data.length - 1] as Record<string, unknown> | undefined;
  return {
    data: data.map(({ ticket, customerName, teamName, assigneeName, nextDueAt }) => ({ ticket, customerName, teamName, assigneeName, nextDueAt })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([tag, ...parts.map((_, i) => last[`k${i}`] as number)]) : null,
  };
}

/** How many tickets each view holds for a staff member, counted in one statement. */
export async function countTicketViews(ctx: CommandContext): Promise<Record<TicketView, number>> {
  requireAgent(ctx.actor, "see the inbox's views");
  return countViews(ctx.db, ctx.actor);
}

async function countViews(db: Db, actor: Principal): Promise<Record<TicketView, number>> {
  const columns = Object.fromEntries(
    TICKET_VIEWS.map((v) => {
      const condition = ticketViewCondition(actor, v, false);
      return [v, condition ? sql<number>`count(*) filter (where ${condition})`.mapWith(Number) : count()];
    }),
  ) as Record<TicketView, SQL.Aliased<number> | ReturnType<typeof count>>;
  const [row] = await db.select(columns).from(tickets).where(ticketVisibility(actor));
  return row as Record<TicketView, number>;
}
