import { sql, type SQL } from "drizzle-orm";
import type { Ticket } from "../db/schema.js";
import { preparedRows } from "../db/raw.js";
import type { Db, Tx } from "../db/store.js";
import { hasActiveAutomation } from "../sla/automation-cache.js";
import { evaluateRules } from "../rules/evaluate-rules.js";
import { tickets } from "../db/schema.js";
import { eq } from "drizzle-orm";
import type { CustomerTier } from "../domain/vocabulary.js";
import { onTicketCreated, rematchSlaPolicy, SlaSession } from "../sla/clocks.js";
import { AppError, notFound } from "../domain/errors.js";
import { actorIdOf } from "../domain/principal.js";
import type { CreateTicketInput } from "../schemas/ticket.schemas.js";
import { readSettings } from "../queries/settings.queries.js";
import type { CommandContext } from "./context.js";

// Raw rows: drizzle's drivers hand timestamps back as strings there, so the time comes as epoch milliseconds.
type Row = Omit<Ticket, "number" | "createdAt" | "updatedAt" | "resolvedAt" | "closedAt" | "slaPolicyId"> & {
  number: string | number;
  createdAtMs: number;
  customerTier: CustomerTier;
  landings: number;
  customers: number;
};

/**
 * Opens a ticket. It lands on the frontline team of the lowest level (routing rules come in a later
 * phase). The customer is given by id, or by e-mail, in which case an unknown address becomes a new
 * customer. A signed-in customer always opens tickets for themselves, never with tags, and with the
 * priority they give only where an admin allows it (see `customersOwnInput`).
 *
 * Intake is the hottest write path, so the ticket itself (customer insert-or-get, landing team, ticket,
 * timeline event, outbox row) is one prepared SQL statement; the SLA clocks follow in the same
 * transaction. When there is no landing team or no such customer, every part of it inserts nothing.
 */
export async function createTicket(ctx: CommandContext, given: CreateTicketInput): Promise<Ticket> {
  const input = await customersOwnInput(ctx, ctx.db, given);
  // With no active SLA policy or rule there is nothing to start or evaluate: the one statement needs no transaction.
  const open = async () =>
    (await hasActiveAutomation(ctx.db)) ? ctx.db.transaction((tx) => insertTicket(ctx, tx, input, true)) : insertTicket(ctx, ctx.db, input, false);
  try {
    return await open();
  } catch (err) {
    // A customer row committed by a concurrent intake after this statement's snapshot is neither inserted
    // nor seen; a second attempt, with a new snapshot, finds it.
    if (err instanceof AppError && err.code === "customer_not_found" && input.customer && ctx.actor.kind !== "customer") {
      return open();
    }
    throw err;
  }
}

/**
 * Opens a ticket inside the caller's transaction, for channels that write more in the same transaction
 * (inbound email records the mail, its thread and attachments with it). `teamId` lands the ticket on that
 * team instead of the default intake team. The customer should exist already (give `customerId`): inside
 * a longer transaction there is no second attempt for a customer inserted concurrently.
 */
export async function createTicketInTx(
  ctx: CommandContext,
  tx: Tx,
  given: CreateTicketInput,
  opts: { teamId?: string | null; hasActiveAutomation?: boolean; descriptionHtml?: string | null } = {},
): Promise<Ticket> {
  const input = await customersOwnInput(ctx, tx, given);
  // The caller may have asked hasActiveAutomation(db) before its transaction (cached); otherwise it is asked
  // through the transaction: the embedded store runs one session, which the transaction holds.
  const withClocks = opts.hasActiveAutomation ?? (await hasActiveAutomation(tx as unknown as Db));
  return insertTicket(ctx, tx, input, withClocks, opts.teamId ?? null, opts.descriptionHtml ?? null);
}

/**
 * What staff set on a ticket a customer opens themselves: tags (which fire tag rules) are refused, and
 * the priority (which orders queues and picks SLA targets) is the customer's only where the admin setting
 * `customerMayChoosePriority` allows it; otherwise the ticket gets normal, whatever they asked for.
 */
async function customersOwnInput(ctx: CommandContext, db: Db | Tx, input: CreateTicketInput): Promise<CreateTicketInput> {
  if (ctx.actor.kind !== "customer") return input;
  if (input.tags.length > 0) {
    throw new AppError("validation_failed", "Customers cannot tag their tickets; staff set tags.", [{ path: "body.tags", message: "is set by staff only" }]);
  }
  if (input.priority === "normal") return input;
  const { customerMayChoosePriority } = await readSettings(db);
  return customerMayChoosePriority ? input : { ...input, priority: "normal" };
}

async function insertTicket(
  ctx: CommandContext,
  tx: Tx | Db,
  input: CreateTicketInput,
  withClocks: boolean,
  teamId: string | null = null,
  descriptionHtml: string | null = null,
): Promise<Ticket> {
  const at = ctx.clock.now();
  const now = at.toISOString();
  const actor = ctx.actor;
  if (actor.kind !== "customer" && !input.customerId && !input.customer) {
    throw new AppError("validation_failed", "A ticket needs a customer.", [
      { path: "body.customer", message: "give customer {email, name?} or customerId" },
    ]);
  }
  const customerCtes: SQL =
    actor.kind === "customer" || input.customerId
      ? sql`cust as (select id, tier from customers where id = ${actor.kind === "customer" ? actor.id : input.customerId})`
      : // Insert-or-get without rewriting an existing customer's row (an upsert would write a new row version
        // for every ticket). The new row is invisible to this statement's select, hence the union.
        sql`fresh as (
              insert into customers (email, name, created_at)
              select ${input.customer!.email}, ${input.customer!.name ?? input.customer!.email.split("@")[0]!}, ${now}::timestamptz
              where exists (select 1 from landing)
              on conflict ((lower(email))) where not unverified do nothing
              returning id, tier),
            cust as (
              select id, tier from fresh
              union all
              select id, tier from customers where lower(email) = ${input.customer!.email} and not unverified and not exists (select 1 from fresh))`;

  const [row] = await preparedRows<Row>(
    tx,
    sql`with landing as (${
          teamId
            ? sql`select t.id as team_id, t.level_id from teams t where t.id = ${teamId}`
            : sql`select t.id as team_id, t.level_id from teams t join levels l on l.id = t.level_id
          where t.kind = 'frontline' order by l.rank, t.name limit 1`
        }),
        ${customerCtes},
        ins as (
          insert into tickets (subject, description, description_html, channel, priority, category, tags, customer_id, level_id, team_id, created_at, updated_at)
          select ${input.subject}, ${input.description}, ${descriptionHtml}::text, ${input.channel}, ${input.priority}, ${input.category ?? null},
                 array(select jsonb_array_elements_text(${JSON.stringify([...new Set(input.tags)])}::jsonb)), cust.id, landing.level_id, landing.team_id, ${now}::timestamptz, ${now}::timestamptz
          from cust, landing
          returning *
        ),
        ev as (
          insert into events (ticket_id, type, visibility, actor_type, actor_id, data, created_at)
          select id, 'ticket.created', 'public', ${actor.kind}, ${actorIdOf(actor)}::uuid,
                 jsonb_build_object('channel', channel, 'after', jsonb_build_object(
                   'subject', subject, 'status', status, 'priority', priority, 'category', category,
                   'levelId', level_id, 'teamId', team_id, 'assigneeId', assignee_id, 'tags', to_jsonb(tags))),
                 ${now}::timestamptz
          from ins
        ),
        ob as (
          insert into outbox (topic, payload, created_at)
          select 'ticket.created', jsonb_build_object('ticketId', id, 'number', number), ${now}::timestamptz from ins
        )
        select (select count(*) from landing)::int as landings, (select count(*) from cust)::int as customers,
               (select tier from cust) as "customerTier",
               ins.id, ins.number::text as number, ins.subject, ins.description, ins.description_html as "descriptionHtml", ins.channel, ins.category, ins.priority,
               ins.status, ins.level_id as "levelId", ins.team_id as "teamId", ins.assignee_id as "assigneeId",
               ins.customer_id as "customerId", ins.tags, ins.reopen_count as "reopenCount",
               (extract(epoch from ins.created_at) * 1000)::float8 as "createdAtMs"
        from (select 1) as one left join ins on true`,
  );
  if (!row || row.landings === 0) {
    throw new AppError("no_frontline_team", "No frontline team exists yet: an admin must create one before tickets can be opened.");
  }
  if (row.customers === 0) throw notFound("customer_not_found", "Customer", input.customerId ?? input.customer?.email ?? "");
  const { landings: _l, customers: _c, createdAtMs, customerTier, ...rest } = row;
  const createdAt = new Date(createdAtMs);
  const ticket: Ticket = { ...rest, number: Number(rest.number), createdAt, updatedAt: createdAt, resolvedAt: null, closedAt: null, slaPolicyId: null };
  if (!withClocks) return ticket;
  const sla = new SlaSession(tx as Tx, at, ctx.actor);
  const slaPolicyId = await onTicketCreated(sla, ticket, customerTier);
  // The escalation matrix may route, re-prioritise or escalate the new ticket: the policy is matched again on
  // the ticket as routed, and the ticket returned as the rules left it.
  if (await evaluateRules(tx as Tx, at, ticket.id, "ticket.created", "created")) {
    const [after] = await (tx as Tx).select().from(tickets).where(eq(tickets.id, ticket.id));
    const policyId = await rematchSlaPolicy(sla, after!, customerTier);
    return { ...after!, slaPolicyId: policyId };
  }
  return { ...ticket, slaPolicyId };
}
