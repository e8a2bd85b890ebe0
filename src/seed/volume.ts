import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { agents, agentTeams, customers, levels, slaPolicies, teams } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { matchPolicy, pausesIn, targetMsOf, type SlaPolicy } from "../domain/sla/policy.js";
import type { Channel, CustomerTier, EscalationReason, Priority, TicketStatus } from "../domain/vocabulary.js";
import { WorkingTimeCache, type WorkingTime } from "../sla/working-time.js";
import {
  CARRIERS,
  CATEGORY_WEIGHTS,
  CONFIRMATIONS,
  DEVICES,
  ERROR_CODES,
  FIRMWARES,
  FIRST_NAMES,
  HANDOVER_PREP_NOTES,
  LAST_NAMES,
  PICKUP_NOTES,
  PLANS,
  SCENARIOS,
  type Category,
  type Scenario,
  type TicketVars,
} from "./demo-content.js";
import { fillTemplate } from "./demo-plan.js";
import { Random } from "./random.js";

/**
 * The volume seed: many tickets on top of an existing organisation (the demo's, usually), for measuring
 * screens and queries at the size of a real installation. Unlike the demo it does not replay commands
 * (a million tickets through them would take hours); it writes the rows the commands would have written
 * (ticket, timeline events, messages, escalations, SLA clocks and their breach deadlines) in bulk, one
 * transaction per batch, with texts from the demo's scenarios.
 */

export type VolumeOptions = {
  /** How many tickets to add. */
  tickets: number;
  now?: Date;
  /** The pseudo-random seed; the same seed on the same organisation gives the same spread. */
  seed?: number;
  /** Tickets per transaction. */
  batchSize?: number;
  /** Called after each batch with the tickets written so far. */
  onProgress?: (done: number, total: number) => void;
};

export type VolumeSummary = {
  tickets: number;
  customers: number;
  messages: number;
  events: number;
  escalations: number;
  clocks: number;
  deadlines: number;
  /** The ticket numbers given to the new tickets (from the tickets' sequence). */
  firstNumber: number | null;
  lastNumber: number | null;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR_MS = 365 * DAY;

/** One new customer per this many tickets: the tickets of a year come from many more people than the demo's fifty. */
const TICKETS_PER_NEW_CUSTOMER = 25;

const CHANNEL_WEIGHTS: [Channel, number][] = [
  ["email", 40],
  ["web", 25],
  ["chat", 12],
  ["phone", 10],
  ["social", 5],
  ["api", 8],
];
const TIER_WEIGHTS: [CustomerTier, number][] = [
  ["standard", 85],
  ["priority", 12],
  ["vip", 3],
];
const FIRST_REPLY_MINUTES: Record<Priority, [number, number]> = { urgent: [3, 30], high: [10, 180], normal: [20, 480], low: [60, 1200] };
const BUMP: Record<Priority, Priority> = { low: "normal", normal: "high", high: "urgent", urgent: "urgent" };
const DROP: Record<Priority, Priority> = { low: "low", normal: "low", high: "normal", urgent: "high" };

type Org = {
  frontline: { id: string; levelId: string; name: string }[];
  specialists: { id: string; levelId: string; name: string; categories: string[] }[];
  management: { id: string; levelId: string; name: string }[];
  levelNames: Map<string, string>;
  /** Active agents (not admins) of each team. */
  members: Map<string, string[]>;
  customers: { id: string; tier: CustomerTier; first: string }[];
  policies: SlaPolicy[];
  calendars: Map<string | null, WorkingTime>;
};

type Team = { id: string; levelId: string; name: string };

/** Column arrays of one batch, per table; each array is one `unnest` argument. */
class Batch {
  tickets = cols(["id", "subject", "description", "channel", "category", "priority", "status", "level_id", "team_id", "assignee_id", "customer_id", "tags", "reopen_count", "sla_policy_id", "created_at", "updated_at", "resolved_at", "closed_at"]);
  messages = cols(["id", "ticket_id", "kind", "body", "author_agent_id", "author_customer_id", "created_at"]);
  events = cols(["ticket_id", "type", "visibility", "actor_type", "actor_id", "data", "created_at"]);
  escalations = cols(["id", "ticket_id", "kind", "status", "reason", "note", "from_level_id", "from_team_id", "from_agent_id", "to_level_id", "to_team_id", "to_agent_id", "requested_by_id", "requested_at", "acknowledged_at", "acknowledged_by_id", "closed_at", "outcome", "closing_note"]);
  clocks = cols(["id", "ticket_id", "policy_id", "metric", "state", "target_ms", "elapsed_ms", "started_at", "running_since", "due_at", "breached_at", "stopped_at", "pauses"]);
  deadlines = cols(["due_at", "ticket_id", "clock_id", "step_key", "payload", "created_at"]);
}

type Cols = Record<string, unknown[]>;
function cols(names: string[]): Cols {
  return Object.fromEntries(names.map((n) => [n, []]));
}
function push(c: Cols, row: Record<string, unknown>): void {
  for (const key of Object.keys(c)) c[key]!.push(row[key] ?? null);
}

/** The SQL types of the columns, for the `unnest` casts. */
const TYPES: Record<string, string> = {
  id: "uuid",
  ticket_id: "uuid",
  level_id: "uuid",
  team_id: "uuid",
  assignee_id: "uuid",
  customer_id: "uuid",
  sla_policy_id: "uuid",
  author_agent_id: "uuid",
  author_customer_id: "uuid",
  actor_id: "uuid",
  from_level_id: "uuid",
  from_team_id: "uuid",
  from_agent_id: "uuid",
  to_level_id: "uuid",
  to_team_id: "uuid",
  to_agent_id: "uuid",
  requested_by_id: "uuid",
  acknowledged_by_id: "uuid",
  policy_id: "uuid",
  clock_id: "uuid",
  account_id: "uuid",
  reopen_count: "int",
  target_ms: "bigint",
  elapsed_ms: "bigint",
  data: "jsonb",
  pauses: "jsonb",
  payload: "jsonb",
  created_at: "timestamptz",
  updated_at: "timestamptz",
  resolved_at: "timestamptz",
  closed_at: "timestamptz",
  requested_at: "timestamptz",
  acknowledged_at: "timestamptz",
  started_at: "timestamptz",
  running_since: "timestamptz",
  due_at: "timestamptz",
  breached_at: "timestamptz",
  stopped_at: "timestamptz",
};

/** `insert into <table> (…) select … from unnest($1::t[], …)`; tags travel as one comma-joined text each. */
function insertStatement(table: string, c: Cols): { text: string; values: unknown[] } {
  const names = Object.keys(c);
  const args = names.map((n, i) => `$${i + 1}::${TYPES[n] ?? "text"}[]`);
  const select = names.map((n) => (n === "tags" ? `string_to_array(u.tags, ',')` : `u.${n}`));
  return {
    text: `insert into ${table} (${names.join(", ")}) select ${select.join(", ")} from unnest(${args.join(", ")}) as u(${names.join(", ")})`,
    values: names.map((n) => c[n]),
  };
}

/** Runs statements in one transaction on the store's own driver (arrays as parameters need the raw client). */
async function runInTransaction(store: Store, statements: { text: string; values: unknown[] }[]): Promise<unknown[][]> {
  const client = (store.db as unknown as { $client: unknown }).$client;
  if (client instanceof PGlite) {
    return client.transaction(async (tx) => {
      const out: unknown[][] = [];
      for (const s of statements) out.push((await tx.query(s.text, s.values)).rows as unknown[]);
      return out;
    });
  }
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    try {
      await conn.query("begin");
      // A crash loses at most the last batches of a seed, which is rerun anyway; not waiting for each flush is much faster.
      await conn.query("set local synchronous_commit = off");
      const out: unknown[][] = [];
      for (const s of statements) out.push((await conn.query(s.text, s.values)).rows as unknown[]);
      await conn.query("commit");
      return out;
    } catch (err) {
      await conn.query("rollback").catch(() => undefined);
      throw err;
    } finally {
      conn.release();
    }
  }
  throw new Error("volume seed: unknown store driver");
}

/**
 * Adds `opts.tickets` tickets, and customers to raise them, to a store that already has an organisation
 * (levels, a frontline team, agents, customers: run `tierline seed --demo` first). Ticket numbers come
 * from the tickets' sequence, so it may run again on the same store. Open tickets get the SLA clocks
 * their matching policy would have started (first response and resolution, in the policy's working
 * time), breached where their due time has passed, with breach deadlines for the engine otherwise.
 * Not idempotent: each run adds more. Each batch commits on its own.
 */
export async function seedVolume(store: Store, opts: VolumeOptions): Promise<VolumeSummary> {
  const total = opts.tickets;
  if (!Number.isInteger(total) || total < 1) throw new Error("the number of tickets must be a whole number of at least 1");
  const now = opts.now ?? new Date();
  const rng = new Random(opts.seed ?? 7);
  const batchSize = opts.batchSize ?? 2000;
  const org = await loadOrganisation(store);
  const summary: VolumeSummary = { tickets: 0, customers: 0, messages: 0, events: 0, escalations: 0, clocks: 0, deadlines: 0, firstNumber: null, lastNumber: null };

  summary.customers = await addCustomers(store, org, rng, Math.max(1, Math.round(total / TICKETS_PER_NEW_CUSTOMER)), now);

  // The next batch is generated while the previous one is written.
  let writing: Promise<void> = Promise.resolve();
  let lastTime = 0;
  for (let done = 0; done < total; ) {
    const size = Math.min(batchSize, total - done);
    const batch = new Batch();
    // Creation times rise with the index (stratified over the year), so ticket numbers follow creation order.
    const times: number[] = [];
    for (let i = done; i < done + size; i++) times.push(createdAtOf(rng, now, (i + rng.next()) / total));
    times.sort((a, b) => a - b);
    // The working-hours shift may move a ticket before the previous batch's last one (the same day).
    for (const time of times) {
      lastTime = Math.max(time, lastTime);
      planTicket(batch, org, rng, now, lastTime);
    }
    await writing;
    const counted = done + size;
    writing = writeBatch(store, batch, summary).then(() => opts.onProgress?.(counted, total));
    done = counted;
  }
  await writing;
  return summary;
}

async function writeBatch(store: Store, b: Batch, summary: VolumeSummary): Promise<void> {
  const ticketInsert = insertStatement("tickets", b.tickets);
  const statements = [
    { text: `${ticketInsert.text} returning number`, values: ticketInsert.values },
    insertStatement("escalations", b.escalations),
    insertStatement("messages", b.messages),
    insertStatement("events", b.events),
    insertStatement("sla_clocks", b.clocks),
    insertStatement("deadlines", b.deadlines),
  ];
  const [numbers] = await runInTransaction(store, statements);
  const ns = (numbers as { number: string | number }[]).map((r) => Number(r.number));
  const min = Math.min(...ns);
  const max = Math.max(...ns);
  summary.firstNumber = summary.firstNumber === null ? min : Math.min(summary.firstNumber, min);
  summary.lastNumber = summary.lastNumber === null ? max : Math.max(summary.lastNumber, max);
  summary.tickets += ns.length;
  summary.escalations += b.escalations.id!.length;
  summary.messages += b.messages.id!.length;
  summary.events += b.events.ticket_id!.length;
  summary.clocks += b.clocks.id!.length;
  summary.deadlines += b.deadlines.ticket_id!.length;
}

async function loadOrganisation(store: Store): Promise<Org> {
  const db = store.db;
  const levelRows = await db.select().from(levels);
  const teamRows = await db.select().from(teams).orderBy(asc(teams.name));
  const memberRows = await db
    .select({ teamId: agentTeams.teamId, agentId: agents.id, role: agents.role, active: agents.active })
    .from(agentTeams)
    .innerJoin(agents, eq(agents.id, agentTeams.agentId));
  const customerRows = await db.select({ id: customers.id, tier: customers.tier, name: customers.name, unverified: customers.unverified }).from(customers);
  const policyRows = await db.select().from(slaPolicies);
  const rank = new Map(levelRows.map((l) => [l.id, l.rank]));
  const frontline = teamRows.filter((t) => t.kind === "frontline").sort((a, b) => rank.get(a.levelId)! - rank.get(b.levelId)!);
  if (frontline.length === 0) {
    throw new Error("The store has no frontline team: the volume seed adds tickets to an organisation (run `tierline seed --demo` first).");
  }
  const members = new Map<string, string[]>();
  for (const m of memberRows) {
    if (!m.active || m.role === "admin") continue;
    members.set(m.teamId, [...(members.get(m.teamId) ?? []), m.agentId]);
  }
  const policies = policyRows.map((p) => p as unknown as SlaPolicy);
  const cache = new WorkingTimeCache(db);
  const calendars = new Map<string | null, WorkingTime>();
  for (const p of policies) calendars.set(p.calendarId, await cache.of(p.calendarId));
  return {
    frontline,
    specialists: teamRows.filter((t) => t.kind === "specialist"),
    management: teamRows.filter((t) => t.kind === "management"),
    levelNames: new Map(levelRows.map((l) => [l.id, l.name])),
    members,
    customers: customerRows.filter((c) => !c.unverified).map((c) => ({ id: c.id, tier: c.tier, first: c.name.split(" ")[0]! })),
    policies,
    calendars,
  };
}

/** Adds customers (households with a made-up address under volume.example), in batches. */
async function addCustomers(store: Store, org: Org, rng: Random, count: number, now: Date): Promise<number> {
  // A run tag (random, whatever the seed) keeps a second run's addresses apart from the first's: e-mails are unique.
  const run = randomUUID().slice(0, 8);
  for (let start = 0; start < count; start += 5000) {
    const c = cols(["id", "email", "name", "tier", "created_at"]);
    for (let i = start; i < Math.min(count, start + 5000); i++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const tier = rng.weighted(TIER_WEIGHTS);
      const id = randomUUID();
      push(c, {
        id,
        email: `${first}.${last}.${run}-${i}@volume.example`.toLowerCase().replace(/[^a-z0-9.@-]/g, ""),
        name: `${first} ${last}`,
        tier,
        created_at: new Date(now.getTime() - rng.between(0, YEAR_MS * 2)).toISOString(),
      });
      org.customers.push({ id, tier, first });
    }
    await runInTransaction(store, [insertStatement("customers", c)]);
  }
  return count;
}

/**
 * The creation time at quantile `u` of the last year: more recent days are busier (a growing business);
 * most tickets come in during working hours.
 */
function createdAtOf(rng: Random, now: Date, u: number): number {
  const age = YEAR_MS * (1 - Math.sqrt(u));
  let t = now.getTime() - age;
  const d = new Date(t);
  // Most tickets come in during the day (UTC 07–19); some at night.
  if (rng.chance(0.85)) {
    const hour = rng.int(7, 18);
    d.setUTCHours(hour, rng.int(0, 59), rng.int(0, 59));
    t = Math.min(d.getTime(), now.getTime() - rng.int(1, 30) * MINUTE);
  }
  return t;
}

/** Where a ticket of this age stands now: recent ones are still being worked on, old ones are closed. */
function statusOf(rng: Random, ageMs: number): TicketStatus {
  if (ageMs < 2 * DAY) {
    return rng.weighted<TicketStatus>([["new", 25], ["open", 35], ["pending", 12], ["on_hold", 5], ["resolved", 15], ["closed", 8]]);
  }
  if (ageMs < 14 * DAY) {
    return rng.weighted<TicketStatus>([["new", 2], ["open", 14], ["pending", 9], ["on_hold", 5], ["resolved", 30], ["closed", 40]]);
  }
  return rng.weighted<TicketStatus>([["open", 0.6], ["pending", 0.3], ["on_hold", 0.3], ["resolved", 2], ["closed", 96.8]]);
}

const byCategory = new Map<Category, Scenario[]>();
for (const s of SCENARIOS) byCategory.set(s.category, [...(byCategory.get(s.category) ?? []), s]);

function varsOf(rng: Random, first: string, createdAt: number): TicketVars {
  const before = new Date(createdAt - rng.int(1, 20) * DAY);
  return {
    first,
    company: rng.pick(["Nordlicht Facilities", "Harbour Hotels", "Cedar Property", "Alpine Offices", "Lumen Living"]),
    order: `BP-${rng.int(100_000, 999_999)}`,
    invoice: `INV-${new Date(createdAt).getUTCFullYear()}-${rng.int(10_000, 99_999)}`,
    amount: `${rng.int(5, 400)}.${rng.int(10, 99)}`,
    device: rng.pick(DEVICES),
    plan: rng.pick(PLANS),
    firmware: rng.pick(FIRMWARES),
    error: rng.pick(ERROR_CODES),
    carrier: rng.pick(CARRIERS),
    tracking: `${rng.int(10_000_000, 99_999_999)}`,
    ref: String(rng.int(100_000, 999_999)),
    date: before.toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" }),
    count: String(rng.int(4, 120)),
    site: rng.pick(["home", "Oslo", "Lyon", "Graz", "Porto"]),
    last4: String(rng.int(1000, 9999)),
    year: String(new Date(createdAt).getUTCFullYear()),
  };
}

/** Plans one ticket with its whole history into the batch. */
function planTicket(b: Batch, org: Org, rng: Random, nowDate: Date, createdAt: number): void {
  const now = nowDate.getTime();
  const age = now - createdAt;
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const scenario = rng.pick(byCategory.get(category)!);
  // Customers write unevenly: a few write often (the square skews towards the start of the list).
  const customer = org.customers[Math.floor(org.customers.length * rng.next() ** 2)]!;
  const vars = varsOf(rng, customer.first, createdAt);
  const fill = (t: string) => fillTemplate(t, vars);
  let priority: Priority = scenario.priority;
  if (rng.chance(0.15)) priority = BUMP[priority];
  else if (rng.chance(0.1)) priority = DROP[priority];
  const channel: Channel = scenario.channels ? rng.pick(scenario.channels) : rng.weighted(CHANNEL_WEIGHTS);
  const status = statusOf(rng, age);
  const id = randomUUID();
  const frontline = org.frontline[0]!;
  const creator = channel === "web" || channel === "chat" ? "customer" : channel === "phone" ? "agent" : "system";
  const frontAgents = org.members.get(frontline.id) ?? [];
  const firstAgent = frontAgents.length > 0 ? rng.pick(frontAgents) : null;

  // The time line, strictly after creation and before now.
  let t = createdAt;
  const until = now - MINUTE;
  const step = (minMinutes: number, maxMinutes: number): number => {
    t = Math.min(until, t + rng.int(minMinutes, maxMinutes) * MINUTE + rng.int(0, 59_999));
    return t;
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const event = (type: string, visibility: "public" | "internal", actorType: "agent" | "customer" | "system", actorId: string | null, data: object, at: number) =>
    push(b.events, { ticket_id: id, type, visibility, actor_type: actorType, actor_id: actorId, data: JSON.stringify(data), created_at: iso(at) });
  const message = (kind: "public" | "internal" | "customer", body: string, agentId: string | null, at: number) => {
    const messageId = randomUUID();
    push(b.messages, { id: messageId, ticket_id: id, kind, body, author_agent_id: kind === "customer" ? null : agentId, author_customer_id: kind === "customer" ? customer.id : null, created_at: iso(at) });
    event(`message.${kind}`, kind === "internal" ? "internal" : "public", kind === "customer" ? "customer" : "agent", kind === "customer" ? customer.id : agentId, { messageId }, at);
  };

  let team: Team = frontline;
  let assignee: string | null = null;
  let currentStatus = "new" as TicketStatus;
  const setStatus = (to: TicketStatus, actorType: "agent" | "customer" | "system", actorId: string | null, at: number) => {
    event("ticket.status_changed", "public", actorType, actorId, { status: { to, from: currentStatus } }, at);
    currentStatus = to;
  };
  const subject = fill(rng.pick(scenario.subjects));
  event(
    "ticket.created",
    "public",
    creator,
    creator === "customer" ? customer.id : creator === "agent" ? firstAgent : null,
    { after: { tags: scenario.tags, status: "new", teamId: frontline.id, levelId: frontline.levelId, subject, category, priority, assigneeId: null }, channel },
    createdAt,
  );

  let firstReplyAt: number | null = null;
  let pausedAt: number | null = null;
  let openEscalation = false;
  if (status !== "new" && firstAgent) {
    const [lo, hi] = FIRST_REPLY_MINUTES[priority];
    // Tickets created in the last hours got their answer sooner than the usual spread, or are still waiting.
    const replyAt = step(Math.min(lo, Math.max(1, Math.floor(age / MINUTE / 4))), Math.min(hi, Math.max(2, Math.floor(age / MINUTE / 2))));
    assignee = firstAgent;
    event("ticket.updated", "internal", "agent", firstAgent, { changes: { assigneeId: { to: firstAgent, from: null } } }, replyAt);
    message("public", fill(scenario.reply), firstAgent, replyAt);
    setStatus("open", "agent", firstAgent, replyAt);
    firstReplyAt = replyAt;

    if (scenario.question && rng.chance(0.5)) {
      message("public", fill(scenario.question.ask), firstAgent, step(5, 120));
      setStatus("pending", "agent", firstAgent, t);
      if (status !== "pending" || rng.chance(0.3)) {
        message("customer", fill(scenario.question.answer), null, step(30, 1800));
        setStatus("open", "customer", customer.id, t);
      } else {
        pausedAt = t;
      }
    }

    // A functional escalation to the specialist team owning the category, or up to management.
    const specialist = scenario.specialist && rng.chance(scenario.specialist.chance * 0.8) ? scenario.specialist : null;
    const toManagement = !specialist && org.management.length > 0 && rng.chance(0.04);
    const targets = specialist
      ? org.specialists.filter((s) => s.categories.includes(category)).concat(org.specialists.filter((s) => s.name.toLowerCase().includes(specialist.team)))
      : toManagement
        ? org.management
        : [];
    if (currentStatus === "open" && targets.length > 0) {
      const to = targets[0]!;
      const kind = specialist ? "functional" : "hierarchical";
      const reason: EscalationReason = specialist ? specialist.reason : rng.pick<EscalationReason>(["complaint", "customer_request", "authority_required"]);
      const note = specialist ? fill(specialist.handover) : "Customer is unhappy with the answers so far and asks for someone senior; the case is in the conversation above.";
      message("internal", rng.pick(HANDOVER_PREP_NOTES), firstAgent, step(10, 240));
      const requestedAt = step(1, 30);
      const escalationId = randomUUID();
      const from = team;
      event("escalation.created", "internal", "agent", firstAgent, { kind, note, reason, teamId: { to: to.id, from: from.id }, levelId: { to: to.levelId, from: from.levelId }, escalationId }, requestedAt);
      event("ticket.escalated", "public", "agent", firstAgent, { team: to.name, text: `Your request is now with our ${to.name} specialists.`, level: org.levelNames.get(to.levelId) }, requestedAt);
      team = to;
      assignee = null;
      const toAgents = org.members.get(to.id) ?? [];
      const ackBy = toAgents.length > 0 && (status !== "open" || rng.chance(0.8)) ? rng.pick(toAgents) : null;
      let ackAt: number | null = null;
      let closedAt: number | null = null;
      let closingNote: string | null = null;
      if (ackBy) {
        ackAt = step(5, 600);
        assignee = ackBy;
        event("escalation.acknowledged", "internal", "agent", ackBy, { waitedMs: ackAt - requestedAt, assigneeId: { to: ackBy, from: null }, escalationId }, ackAt);
        event("ticket.taken_over", "public", "agent", ackBy, { team: to.name, text: "A specialist has taken it over.", level: org.levelNames.get(to.levelId) }, ackAt);
        message("internal", rng.pick(PICKUP_NOTES), ackBy, step(1, 30));
        if (specialist) {
          message("internal", fill(specialist.note), ackBy, step(20, 1440));
          message("public", fill(specialist.reply), ackBy, step(5, 120));
        } else {
          message("public", "Thank you for your patience. I have looked at your case personally and we will settle it for you without further back-and-forth.", ackBy, step(20, 600));
        }
        // Finished tickets came back down; open ones mostly stay with the specialists.
        if (status === "resolved" || status === "closed" || rng.chance(0.3)) {
          closedAt = step(10, 600);
          closingNote = specialist ? fill(specialist.handBack) : "Settled with the customer; please finish and close.";
          event("escalation.de_escalated", "internal", "agent", ackBy, { note: closingNote, teamId: { to: from.id, from: to.id }, levelId: { to: from.levelId, from: to.levelId }, escalationId }, closedAt);
          event("ticket.handed_back", "public", "agent", ackBy, { team: from.name, text: `Your request is back with our ${from.name} team.`, level: org.levelNames.get(from.levelId) }, closedAt);
          event("escalation.closed", "internal", "agent", ackBy, { outcome: "de_escalated", escalationId }, closedAt);
          team = from;
          assignee = firstAgent;
        }
      }
      openEscalation = closedAt === null;
      push(b.escalations, {
        id: escalationId,
        ticket_id: id,
        kind,
        status: closedAt ? "closed" : ackAt ? "acknowledged" : "open",
        reason,
        note,
        from_level_id: from.levelId,
        from_team_id: from.id,
        from_agent_id: firstAgent,
        to_level_id: to.levelId,
        to_team_id: to.id,
        to_agent_id: ackBy,
        requested_by_id: firstAgent,
        requested_at: iso(requestedAt),
        acknowledged_at: ackAt ? iso(ackAt) : null,
        acknowledged_by_id: ackBy,
        closed_at: closedAt ? iso(closedAt) : null,
        outcome: closedAt ? "de_escalated" : null,
        closing_note: closingNote,
      });
    }

    if (status === "on_hold" || (status === "pending" && pausedAt === null)) {
      setStatus(status, "agent", assignee, step(10, 600));
      pausedAt = t;
    }
    if (status === "resolved" || status === "closed") {
      const solver = assignee ?? firstAgent;
      message("public", openEscalation || !scenario.specialist ? fill(scenario.solve) : fill(scenario.specialist.wrapUp), solver, step(10, 1440));
      setStatus("resolved", "agent", solver, t);
    }
  }
  const resolvedAt = currentStatus === "resolved" ? t : null;
  let closedAt: number | null = null;
  if (status === "closed" && resolvedAt !== null) {
    if (rng.chance(0.4)) message("customer", rng.pick(CONFIRMATIONS), null, step(10, 1440));
    closedAt = step(60, 4 * 1440);
    setStatus("closed", "system", null, closedAt);
  }
  const finalStatus = currentStatus;

  // SLA clocks of tickets still being worked on, as their policy would have started them.
  let policyId: string | null = null;
  if (finalStatus !== "resolved" && finalStatus !== "closed") {
    const policy = matchPolicy(org.policies, { priority, channel, category, teamId: frontline.id, customerTier: customer.tier });
    if (policy) {
      policyId = policy.id;
      const wt = org.calendars.get(policy.calendarId)!;
      const clock = (metric: "first_response" | "resolution", stoppedAt: number | null, paused: number | null) => {
        const targetMs = targetMsOf(policy, metric, priority);
        if (targetMs === null) return;
        const clockId = randomUUID();
        const due = wt.add(new Date(createdAt), targetMs).getTime();
        const endOfRun = stoppedAt ?? paused ?? now;
        const breached = due <= endOfRun;
        const elapsedMs = wt.between(new Date(createdAt), new Date(endOfRun));
        const state = breached ? "breached" : stoppedAt !== null ? "met" : paused !== null ? "paused" : "running";
        push(b.clocks, {
          id: clockId,
          ticket_id: id,
          policy_id: policy.id,
          metric,
          state,
          target_ms: targetMs,
          elapsed_ms: stoppedAt !== null || paused !== null ? elapsedMs : 0,
          started_at: iso(createdAt),
          running_since: stoppedAt === null && paused === null ? iso(createdAt) : null,
          due_at: breached ? iso(due) : stoppedAt === null && paused === null ? iso(due) : null,
          breached_at: breached ? iso(due) : null,
          stopped_at: stoppedAt !== null ? iso(stoppedAt) : null,
          pauses: JSON.stringify(paused !== null && stoppedAt === null ? [{ from: iso(paused), to: null }] : []),
        });
        // The engine breaches the running ones when their time comes (their warning steps are not planned here).
        if (state === "running") push(b.deadlines, { due_at: iso(due), ticket_id: id, clock_id: clockId, step_key: "breach", payload: JSON.stringify({ type: "breach" }), created_at: iso(createdAt) });
      };
      clock("first_response", firstReplyAt, null);
      clock("resolution", null, pausesIn(policy, finalStatus) ? pausedAt ?? t : null);
    }
  }

  push(b.tickets, {
    id,
    subject,
    description: fill(scenario.description),
    channel,
    category,
    priority,
    status: finalStatus,
    level_id: team.levelId,
    team_id: team.id,
    assignee_id: assignee,
    customer_id: customer.id,
    tags: scenario.tags.join(","),
    reopen_count: 0,
    sla_policy_id: policyId,
    created_at: iso(createdAt),
    updated_at: iso(t),
    resolved_at: resolvedAt !== null ? iso(resolvedAt) : null,
    closed_at: closedAt !== null ? iso(closedAt) : null,
  });
}
