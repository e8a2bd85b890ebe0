import type { AgentLimits } from "../domain/authority.js";
import type {
  AgentRole,
  Channel,
  CustomerTier,
  EscalationReason,
  Priority,
  TeamKind,
  TicketStatus,
} from "../domain/vocabulary.js";
import {
  ACCOUNTS,
  CARRIERS,
  CATEGORY_WEIGHTS,
  CHASERS,
  CONFIRM_ASK,
  CONFIRMATIONS,
  DEMO_COMPANY,
  DEVICES,
  ERROR_CODES,
  FIRMWARES,
  FIRST_NAMES,
  HANDOVER_PREP_NOTES,
  HOUSEHOLD_DOMAINS,
  LAST_NAMES,
  MANAGER_REQUEST,
  NO_ANSWER_CLOSE,
  PICKUP_NOTES,
  PLANS,
  SCENARIOS,
  type Hold,
  type Management,
  type TicketVars,
} from "./demo-content.js";
import { Random } from "./random.js";

/**
 * The demo as data: the organisation, and every ticket's history as timed steps that the executor replays
 * through the real commands. Planning is pure (seed and `now` in, plan out), so the same seed always gives
 * the same demo and tests can compare plans without touching a database.
 */

export type TeamKey = "frontline" | "billing" | "technical" | "management";

export type PlannedActor = { kind: "system" } | { kind: "agent"; agent: string } | { kind: "customer"; customer: string };

export type PlannedAction =
  | {
      type: "create";
      subject: string;
      description: string;
      channel: Channel;
      priority: Priority;
      category: string;
      tags: string[];
      customer: string;
    }
  | { type: "message"; kind: "public" | "internal" | "customer"; body: string }
  | { type: "update"; status?: TicketStatus; priority?: Priority; assignee?: string }
  | { type: "escalate"; kind: "functional" | "hierarchical"; toTeam: TeamKey; reason: EscalationReason; note: string }
  /** Acknowledges the ticket's newest escalation. */
  | { type: "acknowledge" }
  | { type: "de_escalate"; note: string };

/** One thing that happens to one ticket (by its index in `tickets`) at one moment. */
export type PlannedStep = { at: Date; ticket: number; actor: PlannedActor; action: PlannedAction };

export type PlannedAgent = {
  key: string;
  email: string;
  name: string;
  role: AgentRole;
  teams: TeamKey[];
  skills: string[];
  authorityLimits: AgentLimits;
};
export type PlannedAccount = { key: string; name: string; tier: CustomerTier; annualValue: number; domain: string; city: string };
export type PlannedCustomer = { key: string; email: string; name: string; first: string; account: string | null; tier: CustomerTier };

export type DemoPlan = {
  now: Date;
  /** When the organisation is set up: before the first ticket. */
  setupAt: Date;
  levels: { key: string; name: string; rank: number }[];
  teams: { key: TeamKey; name: string; level: string; kind: TeamKind; categories: string[] }[];
  agents: PlannedAgent[];
  accounts: PlannedAccount[];
  customers: PlannedCustomer[];
  /** Tickets in the order they are opened. */
  tickets: { subject: string; createdAt: Date; customer: string }[];
  /** Every step up to `now`, oldest first; steps a story would take later are left out. */
  steps: PlannedStep[];
};

export const DEMO_DAYS = 60;
export const DEMO_TICKETS = 300;
const FRESH_TICKETS = 4;
export const DEMO_EMAIL_DOMAIN = "tierline.demo";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const LEVELS = [
  { key: "l1", name: "L1 Frontline", rank: 1 },
  { key: "l2", name: "L2 Specialists", rank: 2 },
  { key: "l3", name: "L3 Management", rank: 3 },
];

const TEAMS: DemoPlan["teams"] = [
  { key: "frontline", name: "Frontline Support", level: "l1", kind: "frontline", categories: [] },
  // The L2 teams own the categories a "next level" escalation should bring them.
  { key: "billing", name: "Billing", level: "l2", kind: "specialist", categories: ["billing", "returns"] },
  { key: "technical", name: "Technical", level: "l2", kind: "specialist", categories: ["technical", "account"] },
  { key: "management", name: "Management", level: "l3", kind: "management", categories: [] },
];

const agent = (
  local: string,
  name: string,
  role: AgentRole,
  teams: TeamKey[],
  skills: string[],
  refundEur: number,
): PlannedAgent => ({
  key: local.split(".")[0]!,
  email: `${local}@${DEMO_EMAIL_DOMAIN}`,
  name,
  role,
  teams,
  skills,
  authorityLimits: refundEur > 0 ? { refund: { amount: refundEur, currency: "EUR" } } : {},
});

const AGENTS: PlannedAgent[] = [
  agent("admin", "Sam Whitfield", "admin", [], [], 0),
  agent("ava.frontline", "Ava Lindgren", "agent", ["frontline"], ["english", "swedish"], 50),
  agent("noah.frontline", "Noah Fischer", "agent", ["frontline"], ["english", "german"], 50),
  agent("emma.frontline", "Emma Laurent", "agent", ["frontline"], ["english", "french"], 50),
  agent("lucas.lead", "Lucas Moreno", "lead", ["frontline"], ["english", "spanish"], 150),
  agent("bianca.billing", "Bianca Rossi", "agent", ["billing"], ["refunds", "invoicing", "italian"], 250),
  agent("felix.billing", "Felix Hartmann", "lead", ["billing"], ["refunds", "vat", "german"], 1000),
  agent("theo.tech", "Theo Nakamura", "agent", ["technical"], ["firmware", "networking"], 0),
  agent("kai.tech", "Kai Jensen", "agent", ["technical"], ["mobile-app", "api"], 0),
  agent("priya.tech", "Priya Raman", "lead", ["technical"], ["api", "security", "firmware"], 0),
  agent("maria.manager", "Maria Okafor", "manager", ["management"], ["escalations", "key-accounts"], 5000),
];

/** Who works each team's queue, and how much of it. The lead escalates upwards most often. */
const WORKERS: Record<TeamKey, [string, number][]> = {
  frontline: [["ava", 4], ["noah", 3], ["emma", 3], ["lucas", 1.5]],
  billing: [["bianca", 3], ["felix", 1.5]],
  technical: [["theo", 3], ["kai", 2.5], ["priya", 1.5]],
  management: [["maria", 1]],
};
const LEADS: Record<TeamKey, string> = { frontline: "lucas", billing: "felix", technical: "priya", management: "maria" };

const CHANNEL_WEIGHTS: [Channel, number][] = [
  ["email", 40],
  ["web", 25],
  ["chat", 12],
  ["phone", 10],
  ["social", 5],
  ["api", 8],
];
const DEFAULT_CHANNELS: Channel[] = ["email", "web", "chat", "phone", "social"];
const TIER_TICKET_WEIGHT: Record<CustomerTier, number> = { vip: 2.2, priority: 1.5, standard: 1 };
const CUSTOMERS_PER_ACCOUNT: Record<CustomerTier, number> = { vip: 4, priority: 3, standard: 2 };
const HOUSEHOLDS: CustomerTier[] = ["standard", "standard", "standard", "standard", "standard", "standard", "standard", "standard", "priority", "priority"];

/** Minutes until a first response and until an escalation is acknowledged, by priority. */
const FIRST_RESPONSE: Record<Priority, [number, number]> = { urgent: [3, 25], high: [10, 120], normal: [20, 360], low: [60, 900] };
const ACK_DELAY: Record<Priority, [number, number]> = { urgent: [5, 30], high: [15, 240], normal: [30, 900], low: [60, 1800] };
/** How much longer (or shorter) work on a ticket takes by priority. */
const PACE: Record<Priority, number> = { urgent: 0.15, high: 0.5, normal: 1, low: 1.5 };

/** Plans the whole demo for a seed, with history over the `DEMO_DAYS` days before `now`. */
export function planDemo(seed: number, now: Date): DemoPlan {
  const rng = new Random(seed);
  const end = now.getTime();
  const start = end - DEMO_DAYS * DAY;
  const setupAt = new Date(start - 2 * DAY);

  const accounts: PlannedAccount[] = ACCOUNTS.map(([name, tier, annualValue, domain, city], i) => ({
    key: `account${i}`,
    name,
    tier,
    annualValue,
    domain,
    city,
  }));
  const customers = planCustomers(rng, accounts);
  const agentName = new Map(AGENTS.map((a) => [a.key, a.name.split(" ")[0]!]));

  const tickets: DemoPlan["tickets"] = [];
  const steps: PlannedStep[] = [];
  const createdTimes = sampleCreationTimes(rng, start, end, DEMO_TICKETS);
  for (const [index, createdAt] of createdTimes.entries()) {
    const story = planTicket(rng, { index, createdAt, customers, accounts, agentName });
    tickets.push({ subject: story.subject, createdAt: new Date(createdAt), customer: story.customer });
    steps.push(...story.steps);
  }
  // Stable sort: steps at the same moment keep ticket order and, within a ticket, story order.
  const kept = steps.filter((s) => s.at.getTime() <= end).sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    now: new Date(end),
    setupAt,
    levels: LEVELS,
    teams: TEAMS,
    agents: AGENTS,
    accounts,
    customers,
    tickets,
    steps: kept,
  };
}

function planCustomers(rng: Random, accounts: PlannedAccount[]): PlannedCustomer[] {
  const used = new Set<string>();
  const customers: PlannedCustomer[] = [];
  const add = (account: PlannedAccount | null, tier: CustomerTier) => {
    let first: string;
    let last: string;
    let email: string;
    do {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
      email = `${ascii(first)}.${ascii(last)}@${account ? account.domain : rng.pick(HOUSEHOLD_DOMAINS)}`;
    } while (used.has(`${first} ${last}`) || used.has(email));
    used.add(`${first} ${last}`);
    used.add(email);
    customers.push({ key: `customer${customers.length}`, email, name: `${first} ${last}`, first, account: account?.key ?? null, tier });
  };
  for (const account of accounts) {
    for (let i = 0; i < CUSTOMERS_PER_ACCOUNT[account.tier]; i++) add(account, account.tier);
  }
  for (const tier of HOUSEHOLDS) add(null, tier);
  return customers;
}

/** Lower-case ASCII letters only, for e-mail addresses ("García" → "garcia", "O'Brien" → "obrien"). */
function ascii(name: string): string {
  return name
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/**
 * When tickets are opened: more on weekdays and in the daytime (UTC), as support teams see it. Returned
 * oldest first, so tickets are numbered in the order they arrived.
 */
function sampleCreationTimes(rng: Random, start: number, end: number, count: number): number[] {
  // A few just arrived, whatever the hour, so the inbox always has fresh tickets nobody has answered yet.
  const times: number[] = Array.from({ length: FRESH_TICKETS }, () => Math.floor(rng.between(end - 3 * HOUR, end - 5 * MINUTE)));
  while (times.length < count) {
    const t = Math.floor(rng.between(start, end - 5 * MINUTE));
    const d = new Date(t);
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    const h = d.getUTCHours();
    const hourWeight = h >= 8 && h < 18 ? 1 : h >= 6 && h < 22 ? 0.45 : 0.1;
    // The customer base grows: the latest weeks bring more tickets than the first.
    const growth = (0.7 + 0.6 * ((t - start) / (end - start))) / 1.3;
    if (rng.chance((weekend ? 0.35 : 1) * hourWeight * growth)) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

/** The next moment inside office hours (Mon–Fri 08:00–18:00 UTC), or `ms` itself if it is inside. */
function intoOfficeHours(rng: Random, ms: number): number {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const isWeekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  if (isWeekday && h >= 8 && h < 18) return ms;
  let open = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 8);
  if (h >= 8) open += DAY;
  while ([0, 6].includes(new Date(open).getUTCDay())) open += DAY;
  // What queued up overnight takes the team the first hours of the morning.
  return open + Math.floor(rng.between(0, 150 * MINUTE));
}

/** Customers write in waking hours: a moment in the night moves to the next morning. */
function intoWakingHours(rng: Random, ms: number): number {
  const d = new Date(ms);
  const h = d.getUTCHours();
  if (h >= 7 && h < 23) return ms;
  let morning = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 7);
  if (h >= 23) morning += DAY;
  return morning + Math.floor(rng.between(0, 90 * MINUTE));
}

type Who = "agent" | "customer" | "any";

/** A ticket's story under construction: a cursor in time and the steps so far. */
class Story {
  readonly steps: PlannedStep[] = [];
  constructor(
    private readonly rng: Random,
    private readonly ticket: number,
    public time: number,
    private readonly isUrgent: boolean,
  ) {}

  /**
   * The moment `min`–`max` minutes from now, moved into the hours in which `who` acts; `any` is not moved
   * (the system, or an agent finishing what they are doing).
   */
  later(min: number, max: number, who: Who): number {
    const t = this.time + Math.floor(this.rng.between(min * MINUTE, max * MINUTE));
    if (who === "agent" && !this.isUrgent) return intoOfficeHours(this.rng, t);
    if (who === "customer") return intoWakingHours(this.rng, t);
    return t;
  }

  wait(min: number, max: number, who: Who): void {
    this.time = this.later(min, max, who);
  }

  /** Records a step now; the next step is at least a second later, so a ticket's steps never tie. */
  add(actor: PlannedActor, action: PlannedAction): void {
    this.steps.push({ at: new Date(this.time), ticket: this.ticket, actor, action });
    this.time += 1000 + Math.floor(this.rng.between(0, 20_000));
  }
}

type TicketContext = {
  index: number;
  createdAt: number;
  customers: PlannedCustomer[];
  accounts: PlannedAccount[];
  agentName: Map<string, string>;
};

const bump: Record<Priority, Priority> = { low: "normal", normal: "high", high: "urgent", urgent: "urgent" };

function planTicket(rng: Random, c: TicketContext): { subject: string; customer: string; steps: PlannedStep[] } {
  const category = rng.weighted(CATEGORY_WEIGHTS);
  const scenario = rng.pick(SCENARIOS.filter((s) => s.category === category));
  const eligible = c.customers.filter((cu) => (!scenario.business || cu.account !== null) && (!scenario.tiers || scenario.tiers.includes(cu.tier)));
  const customer = rng.weighted(eligible.map((cu) => [cu, TIER_TICKET_WEIGHT[cu.tier]] as const));
  const account = c.accounts.find((a) => a.key === customer.account) ?? null;
  const channels = scenario.channels ?? DEFAULT_CHANNELS;
  const channel = rng.weighted(CHANNEL_WEIGHTS.filter(([ch]) => channels.includes(ch)));
  let priority = scenario.priority;
  if (customer.tier === "vip" && priority !== "high" && rng.chance(0.4)) priority = bump[priority];
  else if (customer.tier === "priority" && priority === "low" && rng.chance(0.3)) priority = "normal";

  const vars = ticketVars(rng, customer, account, c.createdAt);
  const fill = (template: string) => fillTemplate(template, vars);
  const sign = (agentKey: string, body: string) => `${fill(body)}\n\n${c.agentName.get(agentKey)!}\n${DEMO_COMPANY} Support`;
  const as = (key: string): PlannedActor => ({ kind: "agent", agent: key });
  const cust: PlannedActor = { kind: "customer", customer: customer.key };
  const s = new Story(rng, c.index, c.createdAt, priority === "urgent");
  const subject = fill(rng.pick(scenario.subjects));

  // Intake: mail and API arrive through Tierline itself, the portal and chat as the customer, phone calls
  // and social posts are logged by the frontline agent who takes them.
  const frontliner = rng.weighted(WORKERS.frontline);
  const creator: PlannedActor =
    channel === "email" || channel === "api" ? { kind: "system" } : channel === "web" || channel === "chat" ? cust : as(frontliner);
  s.add(creator, {
    type: "create",
    subject,
    description: fill(scenario.description),
    channel,
    priority,
    category,
    tags: customer.tier === "vip" ? [...scenario.tags, "vip"] : scenario.tags,
    customer: customer.key,
  });

  const [fMin, fMax] = creator.kind === "agent" ? [0.5, 3] : FIRST_RESPONSE[priority];
  s.wait(fMin, fMax, "agent");
  s.add(as(frontliner), { type: "update", assignee: frontliner });
  s.wait(2, 15, "any");
  const asks = scenario.question !== undefined && rng.chance(0.5);
  s.add(as(frontliner), { type: "message", kind: "public", body: sign(frontliner, asks ? `${scenario.reply} ${scenario.question!.ask}` : scenario.reply) });

  // The ticket's whereabouts as the story goes: team, working agent, and whether an escalation is active.
  let team: TeamKey = "frontline";
  let owner = frontliner;
  let isEscalated = false;
  let isFinished = false;
  let hasFindings = false;
  /** Time spent on the work itself, in hours: urgent tickets move faster, low ones slower. */
  const work = (minHours: number, maxHours: number) => s.wait(minHours * 60 * PACE[priority], maxHours * 60 * PACE[priority], "agent");
  const resolve = (by: string) => {
    s.wait(1, 10, "any");
    s.add(as(by), { type: "update", status: "resolved" });
  };
  /** The answer that solves the case; often the agent waits for the customer to confirm before resolving. */
  const finish = (by: string, body: string) => {
    const confirms = rng.chance(0.5);
    s.add(as(by), { type: "message", kind: "public", body: sign(by, confirms ? `${body} ${CONFIRM_ASK}` : body) });
    if (!confirms) return resolve(by);
    s.wait(0.5, 2, "any");
    s.add(as(by), { type: "update", status: "pending" });
    if (rng.chance(0.65)) {
      s.wait(30, 2 * 24 * 60, "customer");
      s.add(cust, { type: "message", kind: "customer", body: rng.pick(CONFIRMATIONS) });
      s.wait(...FIRST_RESPONSE[priority], "agent");
    } else {
      s.wait(3 * 24 * 60, 4 * 24 * 60, "agent");
    }
    resolve(by);
  };

  if (asks) {
    s.wait(0.5, 2, "any");
    s.add(as(frontliner), { type: "update", status: "pending" });
    if (rng.chance(0.9)) {
      s.wait(20, 2 * 24 * 60, "customer");
      s.add(cust, { type: "message", kind: "customer", body: fill(scenario.question!.answer) });
    } else {
      s.wait(5 * 24 * 60, 7 * 24 * 60, "agent");
      s.add(as(frontliner), { type: "message", kind: "public", body: sign(frontliner, NO_ANSWER_CLOSE) });
      resolve(frontliner);
      isFinished = true;
    }
  }

  const specialist = !isFinished && scenario.specialist && rng.chance(scenario.specialist.chance) ? scenario.specialist : undefined;
  let management: (Management & { message?: string }) | undefined;
  if (!isFinished && scenario.management && rng.chance(scenario.management.chance)) management = scenario.management;
  else if (!isFinished && !scenario.management && asks && rng.chance(MANAGER_REQUEST.chance)) management = MANAGER_REQUEST;

  /** Waits for the receiving side to pick an escalation up, with a chaser from the customer if it takes long. */
  const awaitAcknowledgement = () => {
    const ackAt = s.later(...ACK_DELAY[priority], "agent");
    if (ackAt - s.time > 18 * HOUR && rng.chance(0.6)) {
      s.time = intoWakingHours(rng, s.time + (ackAt - s.time) / 2);
      s.add(cust, { type: "message", kind: "customer", body: rng.pick(CHASERS) });
    }
    s.time = Math.max(ackAt, s.time);
  };

  /** Tells the customer what we wait for, parks the ticket on hold, and closes it with the news days later. */
  const holdThenFinish = (hold: Hold, by: string) => {
    s.wait(5, 30, "any");
    s.add(as(by), { type: "message", kind: "public", body: sign(by, hold.notice) });
    s.add(as(by), { type: "update", status: "on_hold" });
    s.add(as(by), { type: "message", kind: "internal", body: fill(hold.note) });
    s.wait(hold.days[0] * 24 * 60, hold.days[1] * 24 * 60, "agent");
    finish(by, hold.update);
  };

  if (specialist) {
    work(0.5, 24);
    if (rng.chance(0.5)) s.add(as(frontliner), { type: "message", kind: "internal", body: rng.pick(HANDOVER_PREP_NOTES) });
    s.add(as(frontliner), { type: "escalate", kind: "functional", toTeam: specialist.team, reason: specialist.reason, note: fill(specialist.handover) });
    team = specialist.team;
    isEscalated = true;
    awaitAcknowledgement();
    owner = rng.weighted(WORKERS[team]);
    s.add(as(owner), { type: "acknowledge" });
    if (rng.chance(0.6)) s.add(as(owner), { type: "message", kind: "internal", body: rng.pick(PICKUP_NOTES) });
    // The specialist's findings come before a request for management's approval, but after management only
    // stepped in for the customer's sake (and handed the work back).
    if (!management || management.final) {
      work(1, 24);
      s.add(as(owner), { type: "message", kind: "internal", body: fill(specialist.note) });
      hasFindings = true;
    }
    if (!management && specialist.hold && rng.chance(specialist.hold.chance)) {
      holdThenFinish(specialist.hold, owner);
      isFinished = true;
    }
  } else if (!isFinished && !management && scenario.hold && rng.chance(scenario.hold.chance)) {
    work(0.5, 24);
    holdThenFinish(scenario.hold, owner);
    isFinished = true;
  }

  if (management) {
    if (management.message) {
      s.wait(60, 24 * 60, "customer");
      s.add(cust, { type: "message", kind: "customer", body: management.message });
    }
    work(0.25, 6);
    const escalator = rng.chance(0.5) ? LEADS[team] : owner;
    if (priority === "low" || priority === "normal") s.add(as(escalator), { type: "update", priority: "high" });
    s.add(as(escalator), { type: "escalate", kind: "hierarchical", toTeam: "management", reason: management.reason, note: fill(management.handover) });
    // The earlier functional escalation (if any) is superseded; only this one is active now.
    const returnTo = { team, owner };
    isEscalated = true;
    awaitAcknowledgement();
    const manager = rng.weighted(WORKERS.management);
    s.add(as(manager), { type: "acknowledge" });
    work(1, 24);
    s.add(as(manager), { type: "message", kind: "internal", body: fill(management.decision) });
    if (management.final && rng.chance(0.5)) {
      s.wait(5, 60, "agent");
      team = "management";
      owner = manager;
      finish(manager, management.reply);
      isFinished = true;
    } else {
      if (!management.final) {
        s.wait(5, 60, "agent");
        s.add(as(manager), { type: "message", kind: "public", body: sign(manager, management.reply) });
      }
      s.wait(5, 60, "agent");
      s.add(as(manager), { type: "de_escalate", note: `${fill(management.decision)} Handing the ticket back to you to finish.` });
      ({ team, owner } = returnTo);
      isEscalated = false;
      if (management.final) {
        work(0.25, 8);
        finish(owner, management.reply);
        isFinished = true;
      }
    }
  }

  if (!isFinished) {
    if (specialist && team === specialist.team) {
      work(4, 72);
      if (!hasFindings) s.add(as(owner), { type: "message", kind: "internal", body: fill(specialist.note) });
      if (isEscalated && rng.chance(0.45)) {
        s.add(as(owner), { type: "de_escalate", note: fill(specialist.handBack) });
        team = "frontline";
        owner = frontliner;
        work(0.25, 8);
        finish(owner, specialist.wrapUp);
      } else {
        finish(owner, specialist.reply);
      }
    } else {
      work(1, 36);
      finish(owner, scenario.solve);
    }
  }

  if (scenario.reopen && rng.chance(scenario.reopen.chance)) {
    s.wait(24 * 60, 3 * 24 * 60, "customer");
    s.add(cust, { type: "message", kind: "customer", body: fill(scenario.reopen.message) });
    s.wait(...FIRST_RESPONSE[priority], "agent");
    finish(owner, scenario.reopen.fix);
  }

  // Resolved tickets close automatically after a few quiet days.
  s.wait(3 * 24 * 60, 5 * 24 * 60, "any");
  s.add({ kind: "system" }, { type: "update", status: "closed" });
  return { subject, customer: customer.key, steps: s.steps };
}

function ticketVars(rng: Random, customer: PlannedCustomer, account: PlannedAccount | null, createdAt: number): TicketVars {
  const before = new Date(createdAt - rng.int(1, 12) * DAY);
  return {
    first: customer.first,
    company: account?.name ?? "",
    order: `BP-${rng.int(100_000, 999_999)}`,
    invoice: `INV-${new Date(createdAt).getUTCFullYear()}-${rng.int(10_000, 99_999)}`,
    amount: rng.pick(["9.99", "14.99", "39.95", "49.00", "89.90", "129.00", "249.00"]),
    device: rng.pick(DEVICES),
    plan: rng.pick(PLANS),
    firmware: rng.pick(FIRMWARES),
    error: rng.pick(ERROR_CODES),
    carrier: rng.pick(CARRIERS),
    tracking: `1Z${rng.int(100_000, 999_999)}${rng.int(1000, 9999)}`,
    ref: String(rng.int(100_000, 999_999)),
    date: before.toLocaleDateString("en-GB", { day: "numeric", month: "long", timeZone: "UTC" }),
    count: String(account ? rng.int(20, 240) : rng.int(4, 14)),
    site: account?.city ?? "home",
    last4: String(rng.int(1000, 9999)),
    year: String(new Date(createdAt).getUTCFullYear()),
  };
}

/** Replaces each {name} with its value; an unknown name is a mistake in the demo texts. */
export function fillTemplate(template: string, vars: TicketVars): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = (vars as Record<string, string>)[name];
    if (value === undefined) throw new Error(`demo text uses unknown placeholder {${name}}`);
    return value;
  });
}
