import { and, desc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { events, tickets } from "../../db/schema.js";
import { queryRows } from "../../db/raw.js";
import type { Db } from "../../db/store.js";
import type { Principal } from "../../domain/principal.js";
import type { ActorType, EventVisibility, MessageKind } from "../../domain/vocabulary.js";
import { customerEventData, type OrganisationNames } from "../../domain/customer-events.js";
import { ticketVisibility } from "../../policies/ticket.policy.js";
import { loadOrganisationNames } from "../../queries/organisation-names.js";

/** The message a `message.*` event is about, so a live view can show it without another request. */
export type StreamMessage = {
  id: string;
  kind: MessageKind;
  body: string;
  authorAgentId: string | null;
  authorCustomerId: string | null;
  authorName: string | null;
  createdAt: string;
};

/**
 * A timeline event as the live stream carries it: the item of `GET /tickets/{id}/events` plus the ticket's
 * number and, for message events, the message.
 */
export type StreamEventData = {
  id: number;
  ticketId: string;
  ticketNumber: number;
  type: string;
  visibility: EventVisibility;
  actorType: ActorType;
  actorId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  message?: StreamMessage;
};

/**
 * Who may see the event, as read with it (never sent to clients): the ticket's current team, assignee,
 * customer and participants, and the teams the ticket was with when the event happened (`eventTeamIds`).
 */
export type TicketAccess = { teamId: string; eventTeamIds: string[]; assigneeId: string | null; customerId: string; participantIds: string[] };

/**
 * `customerData`: the event's data as its customer reads it (`customerEventData`: names instead of ids),
 * worked out once when the event is loaded, never sent to staff.
 */
export type StreamEvent = StreamEventData & { access: TicketAccess; customerData: Record<string, unknown> };

/** The most events one query loads. */
export const LOAD_BATCH = 1_000;

/** One row of the load query: the event's fields (times as epoch milliseconds), its ticket's access facts and its message's. */
type Row = Omit<StreamEventData, "createdAt" | "message"> & {
  createdAtMs: number;
  teamId: string;
  eventTeamIds: string[] | null;
  assigneeId: string | null;
  customerId: string;
  participantIds: string[] | null;
  messageId: string | null;
  messageKind: MessageKind | null;
  messageBody: string | null;
  messageAuthorAgentId: string | null;
  messageAuthorCustomerId: string | null;
  messageAuthorName: string | null;
  messageCreatedAtMs: number | null;
};

/**
 * The teams an event is judged by, as text[]: an event that moves the ticket (its data has `teamId:
 * {from, to}` — escalation.created, escalation.de_escalated, ticket.routed) belongs to both the team it
 * left and the team it reached, so the team it left is told it left; any other event belongs to the team
 * the ticket was with when it was written: the `to` of the last move before it, else the `from` of the
 * first move after it. Empty for a ticket that never moved (its current team then decides). Events of one
 * ticket are written under its row lock, so their ids follow the order they happened in, also within one
 * transaction (a breach written before the escalation it causes belongs to the team it breached in).
 * `ev` is the events row being judged (table `events`, or an alias of it).
 */
export function eventTeamIds(ev: SQL = sql`events`): SQL {
  const moves = sql`from events m where m.ticket_id = ${ev}.ticket_id and jsonb_typeof(m.data->'teamId') = 'object'`;
  return sql`(case when jsonb_typeof(${ev}.data->'teamId') = 'object'
      then array_remove(array[${ev}.data->'teamId'->>'from', ${ev}.data->'teamId'->>'to'], null)
      else array_remove(array[coalesce(
        (select m.data->'teamId'->>'to' ${moves} and m.id < ${ev}.id order by m.id desc limit 1),
        (select m.data->'teamId'->>'from' ${moves} and m.id > ${ev}.id order by m.id limit 1))], null)
    end)`;
}

/**
 * Loads events by id, oldest first, each with its ticket's number and the facts visibility is decided on
 * (team, the teams at the time of the event, assignee, customer, and the agents who took part in an escalation or decide an approval on it —
 * the same facts as `ticketVisibility`), and the message of a message event. One query for the batch.
 */
export async function loadStreamEvents(db: Db, ids: readonly number[]): Promise<StreamEvent[]> {
  if (ids.length === 0) return [];
  // One text parameter rather than a list: drizzle expands an array into one parameter per element.
  const idList = [...new Set(ids)].join(",");
  const rows = await queryRows<Row>(
    db,
    sql`with ev as (
          select events.*, ${eventTeamIds()} as event_team_ids
          from events where id = any(string_to_array(${idList}, ',')::bigint[])
        ),
        tk as (
          select t.id, t.number, t.team_id, t.assignee_id, t.customer_id,
                 array(
                   select distinct x::text from (
                     select unnest(array[s.from_agent_id, s.requested_by_id, s.to_agent_id, s.acknowledged_by_id]) as x
                     from escalations s where s.ticket_id = t.id
                     union all
                     select a.approver_id from approvals a where a.ticket_id = t.id
                   ) p where x is not null
                 ) as participants
          from tickets t where t.id in (select ticket_id from ev)
        )
        select ev.id::float8 as id, ev.ticket_id as "ticketId", tk.number::float8 as "ticketNumber", ev.type,
               ev.visibility, ev.actor_type as "actorType", ev.actor_id as "actorId", ev.data,
               floor(extract(epoch from ev.created_at) * 1000)::float8 as "createdAtMs",
               tk.team_id as "teamId", ev.event_team_ids as "eventTeamIds", tk.assignee_id as "assigneeId", tk.customer_id as "customerId",
               tk.participants as "participantIds",
               m.id as "messageId", m.kind as "messageKind", m.body as "messageBody",
               m.author_agent_id as "messageAuthorAgentId", m.author_customer_id as "messageAuthorCustomerId",
               coalesce(ag.name, cu.name) as "messageAuthorName",
               floor(extract(epoch from m.created_at) * 1000)::float8 as "messageCreatedAtMs"
        from ev
        join tk on tk.id = ev.ticket_id
        left join messages m on ev.type like 'message.%'
          and m.id = case when ev.data->>'messageId' ~ '^[0-9a-fA-F-]{36}$' then (ev.data->>'messageId')::uuid end
        left join agents ag on ag.id = m.author_agent_id
        left join customers cu on cu.id = m.author_customer_id
        order by ev.id`,
  );
  // Only a public event that names ids reaches a customer rewritten; the names are read only then.
  const names = rows.some((r) => r.visibility === "public" && customerEventData(r.type, r.data, EMPTY_NAMES) !== r.data) ? await loadOrganisationNames(db) : EMPTY_NAMES;
  return rows.map((r) => toStreamEvent(r, names));
}

const EMPTY_NAMES: OrganisationNames = { teams: new Map(), levels: new Map() };

function toStreamEvent(r: Row, names: OrganisationNames): StreamEvent {
  const event: StreamEvent = {
    id: Number(r.id),
    ticketId: r.ticketId,
    ticketNumber: Number(r.ticketNumber),
    type: r.type,
    visibility: r.visibility,
    actorType: r.actorType,
    actorId: r.actorId,
    data: r.data,
    createdAt: new Date(Number(r.createdAtMs)).toISOString(),
    access: { teamId: r.teamId, eventTeamIds: r.eventTeamIds ?? [], assigneeId: r.assigneeId, customerId: r.customerId, participantIds: r.participantIds ?? [] },
    customerData: r.visibility === "public" ? customerEventData(r.type, r.data, names) : r.data,
  };
  if (r.messageId) {
    event.message = {
      id: r.messageId,
      kind: r.messageKind!,
      body: r.messageBody!,
      authorAgentId: r.messageAuthorAgentId,
      authorCustomerId: r.messageAuthorCustomerId,
      authorName: r.messageAuthorName,
      createdAt: new Date(Number(r.messageCreatedAtMs)).toISOString(),
    };
  }
  return event;
}

/**
 * The event as clients receive it: without the access facts. A customer reads it as on their timeline
 * (`GET /tickets/{id}/events`): team and level names instead of ids, and not which agent acted.
 */
export function presentStreamEvent({ access: _a, customerData, ...event }: StreamEvent, audience: "staff" | "customer"): StreamEventData {
  if (audience === "staff") return event;
  return { ...event, actorId: event.actorType === "agent" ? null : event.actorId, data: customerData };
}

/** Ids of events after `afterId`, oldest first, at most `limit` (the hub's catch-up after a 'resync'). */
export async function eventIdsAfter(db: Db, afterId: number, limit: number): Promise<number[]> {
  const rows = await db.select({ id: events.id }).from(events).where(gt(events.id, afterId)).orderBy(events.id).limit(limit);
  return rows.map((r) => Number(r.id));
}

/**
 * Which events `actor` may receive, as an SQL condition on `events` joined with their `tickets`: the
 * ticket policy (`ticketVisibility`), and for agents also the events that happened while the ticket was
 * with one of their teams (`eventTeamIds`); a customer only public ones. `undefined`: no restriction.
 * `canSeeStreamEvent` decides the same in memory; the stream tests hold the two together.
 */
export function streamEventVisibility(actor: Principal): SQL | undefined {
  const policy = ticketVisibility(actor);
  if (actor.kind === "customer") return and(eq(events.visibility, "public"), policy);
  if (policy === undefined || actor.kind === "system" || actor.teamIds.length === 0) return policy;
  // One text parameter rather than a list: drizzle expands an array into one parameter per element.
  const ofTheirTeams = sql`${eventTeamIds()} && string_to_array(${actor.teamIds.join(",")}, ',')`;
  return or(policy, ofTheirTeams);
}

/**
 * The events after `afterId` that `actor` may see (optionally of one ticket), newest `limit` of them,
 * returned oldest first, and whether older ones were left out. Visibility is decided in the database
 * (`streamEventVisibility`).
 */
export async function visibleEventsAfter(
  db: Db,
  actor: Principal,
  afterId: number,
  opts: { ticketId?: string | undefined; limit: number },
): Promise<{ events: StreamEvent[]; truncated: boolean }> {
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .innerJoin(tickets, eq(tickets.id, events.ticketId))
    .where(
      and(
        gt(events.id, afterId),
        opts.ticketId ? eq(events.ticketId, opts.ticketId) : undefined,
        streamEventVisibility(actor),
      ),
    )
    .orderBy(desc(events.id))
    .limit(opts.limit + 1);
  const truncated = rows.length > opts.limit;
  const ids = rows.slice(0, opts.limit).map((r) => Number(r.id));
  return { events: await loadStreamEvents(db, ids), truncated };
}
