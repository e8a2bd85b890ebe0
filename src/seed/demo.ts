import { count, inArray, isNull } from "drizzle-orm";
import { acknowledgeEscalation } from "../commands/acknowledge-escalation.js";
import { addMessage } from "../commands/add-message.js";
import type { CommandContext } from "../commands/context.js";
import { createAccount } from "../commands/create-account.js";
import { createAgent } from "../commands/create-agent.js";
import { createCustomer } from "../commands/create-customer.js";
import { createLevel } from "../commands/create-level.js";
import { createTeam } from "../commands/create-team.js";
import { createTicket } from "../commands/create-ticket.js";
import { deEscalateTicket } from "../commands/de-escalate-ticket.js";
import { escalateTicket } from "../commands/escalate-ticket.js";
import { updateTicket } from "../commands/update-ticket.js";
import { escalations, levels, outbox, tickets } from "../db/schema.js";
import type { Db, Store } from "../db/store.js";
import { createCalendar } from "../commands/create-calendar.js";
import { createSlaPolicy } from "../commands/create-sla-policy.js";
import { createRule } from "../commands/create-rule.js";
import { setRoleLimits } from "../commands/set-role-limits.js";
import { CreateRuleBody } from "../schemas/rule.schemas.js";
import { reapplySlaPolicies } from "../commands/reapply-sla-policies.js";
import { CreateCalendarBody } from "../schemas/calendar.schemas.js";
import { CreateSlaPolicyBody } from "../schemas/sla.schemas.js";
import { FakeClock } from "../domain/clock.js";
import { SYSTEM, type AgentPrincipal, type Principal } from "../domain/principal.js";
import { CreateAccountBody, CreateAgentBody, CreateCustomerBody } from "../schemas/organisation.schemas.js";
import {
  CreateEscalationBody,
  CreateMessageBody,
  CreateTicketBody,
  DeEscalateBody,
  UpdateTicketBody,
} from "../schemas/ticket.schemas.js";
import { planDemo, type DemoPlan, type PlannedActor, type PlannedStep } from "./demo-plan.js";

/** The password of every demo log-in, staff and customers alike. */
export const DEMO_PASSWORD = "tierline-demo";

/** The seed used when none is given, so `tierline seed --demo` gives the same demo everywhere. */
export const DEFAULT_DEMO_SEED = 42;

export type DemoSummary = {
  levels: number;
  teams: number;
  agents: number;
  accounts: number;
  customers: number;
  /** Every ticket seeded: `historyTickets` with 60 days of history, then `showcaseTickets` showing the rules at work. */
  tickets: number;
  historyTickets: number;
  showcaseTickets: number;
  messages: number;
  escalations: number;
};

/** True when the store has no levels and no tickets, i.e. nobody has set it up yet. */
export async function isStoreEmpty(store: Store): Promise<boolean> {
  const [level] = await store.db.select({ id: levels.id }).from(levels).limit(1);
  if (level) return false;
  const [ticket] = await store.db.select({ id: tickets.id }).from(tickets).limit(1);
  return ticket === undefined;
}

/**
 * Fills an empty store with the demo organisation (Brightpath's support: three levels, four teams, eleven
 * agents, fifteen accounts, ~50 customers) and 60 days of ticket history before `now`, replayed through
 * the real commands with a fake clock so every timeline, escalation and status is what the product itself
 * would have recorded. All in one transaction: a failure leaves the store empty, so the seed can be rerun.
 */
export async function seedDemo(store: Store, opts: { now?: Date; seed?: number } = {}): Promise<DemoSummary> {
  const plan = planDemo(opts.seed ?? DEFAULT_DEMO_SEED, opts.now ?? new Date());
  if (!(await isStoreEmpty(store))) throw new Error("The demo is seeded only into an empty store (it already has levels or tickets).");
  return store.db.transaction(async (tx) => {
    const summary = await runPlan(tx, plan);
    // The history is replayed, not happening: its notifications and webhooks are marked as handled, so the
    // first start does not mail sixty days of it to the demo's people.
    await tx.update(outbox).set({ dispatchedAt: plan.now }).where(isNull(outbox.dispatchedAt));
    return summary;
  });
}

/** Replays a plan: the organisation as the system, then each step at its moment as its actor. */
async function runPlan(db: Db, plan: DemoPlan): Promise<DemoSummary> {
  const clock = new FakeClock(plan.setupAt);
  const system: CommandContext = { db, clock, actor: SYSTEM };
  const tick = () => clock.advance(1000);

  const levelIds = new Map<string, string>();
  for (const level of plan.levels) {
    levelIds.set(level.key, (await createLevel(system, { name: level.name, rank: level.rank })).id);
    tick();
  }
  const teamIds = new Map<string, string>();
  for (const team of plan.teams) {
    teamIds.set(team.key, (await createTeam(system, { name: team.name, levelId: levelIds.get(team.level)!, kind: team.kind, categories: team.categories })).id);
    tick();
  }
  const agents = new Map<string, AgentPrincipal>();
  for (const a of plan.agents) {
    const input = CreateAgentBody.parse({
      email: a.email,
      name: a.name,
      role: a.role,
      teamIds: a.teams.map((t) => teamIds.get(t)!),
      password: DEMO_PASSWORD,
      skills: a.skills,
      authorityLimits: a.authorityLimits,
    });
    const created = await createAgent(system, input);
    agents.set(a.key, { kind: "agent", id: created.id, role: created.role, teamIds: created.teamIds });
    tick();
  }
  const accountIds = new Map<string, string>();
  for (const a of plan.accounts) {
    accountIds.set(a.key, (await createAccount(system, CreateAccountBody.parse({ name: a.name, tier: a.tier, annualValue: a.annualValue }))).id);
    tick();
  }
  const customerIds = new Map<string, string>();
  for (const c of plan.customers) {
    const input = CreateCustomerBody.parse({
      email: c.email,
      name: c.name,
      accountId: c.account ? accountIds.get(c.account) : undefined,
      tier: c.tier,
      password: DEMO_PASSWORD,
    });
    customerIds.set(c.key, (await createCustomer(system, input)).id);
    tick();
  }

  const principal = (actor: PlannedActor): Principal => {
    switch (actor.kind) {
      case "system":
        return SYSTEM;
      case "agent":
        return agents.get(actor.agent)!;
      case "customer":
        return { kind: "customer", id: customerIds.get(actor.customer)! };
    }
  };

  const ticketIds: string[] = [];
  const newestEscalation = new Map<number, string>();
  const counts = { tickets: 0, messages: 0, escalations: 0 };
  const run = async (step: PlannedStep) => {
    clock.set(step.at);
    const ctx: CommandContext = { db, clock, actor: principal(step.actor) };
    const a = step.action;
    const ticketId = ticketIds[step.ticket]!;
    switch (a.type) {
      case "create": {
        const byCustomer = ctx.actor.kind === "customer";
        const input = CreateTicketBody.parse({
          subject: a.subject,
          description: a.description,
          channel: a.channel,
          priority: a.priority,
          category: a.category,
          // Customers never tag their tickets (and their priority counts only where an admin allows it):
          // staff triage sets both just after, below.
          tags: byCustomer ? [] : a.tags,
          // A signed-in customer always opens tickets for themselves; others name the customer.
          ...(byCustomer ? {} : { customerId: customerIds.get(a.customer)! }),
        });
        const created = await createTicket(ctx, input);
        ticketIds[step.ticket] = created.id;
        if (byCustomer && (created.priority !== a.priority || a.tags.length > 0)) {
          await updateTicket(system, created.id, UpdateTicketBody.parse({ priority: a.priority, tags: a.tags }));
        }
        counts.tickets++;
        return;
      }
      case "message":
        await addMessage(ctx, ticketId, CreateMessageBody.parse({ body: a.body, kind: a.kind === "customer" ? undefined : a.kind }));
        counts.messages++;
        return;
      case "update":
        await updateTicket(
          ctx,
          ticketId,
          UpdateTicketBody.parse({ status: a.status, priority: a.priority, assigneeId: a.assignee ? agents.get(a.assignee)!.id : undefined }),
        );
        return;
      case "escalate": {
        const input = CreateEscalationBody.parse({ kind: a.kind, toTeamId: teamIds.get(a.toTeam)!, reason: a.reason, note: a.note });
        newestEscalation.set(step.ticket, (await escalateTicket(ctx, ticketId, input)).id);
        counts.escalations++;
        return;
      }
      case "acknowledge":
        await acknowledgeEscalation(ctx, newestEscalation.get(step.ticket)!);
        return;
      case "de_escalate":
        await deEscalateTicket(ctx, ticketId, DeEscalateBody.parse({ note: a.note }));
        return;
    }
  };
  for (const step of plan.steps) {
    try {
      await run(step);
    } catch (err) {
      throw new Error(`demo step failed at ${step.at.toISOString()} on ticket ${step.ticket} (${step.action.type})`, { cause: err });
    }
  }

  // The escalation matrix, and a few tickets arriving in the last minutes that show each of its rules at work.
  clock.set(new Date(plan.now.getTime() - 20 * 60_000));
  const live = await setUpEscalationMatrix(system, teamIds, {
    vip: customerIds.get(plan.customers.find((c) => c.tier === "vip")!.key)!,
    standard: plan.customers.filter((c) => c.tier === "standard").map((c) => customerIds.get(c.key)!),
    agent: agents.get("ava")!,
  });
  const historyTickets = counts.tickets;
  counts.tickets += live.tickets;
  counts.messages += live.messages;
  counts.escalations += live.escalations;
  clock.set(plan.now);
  await setUpServiceLevels({ db, clock, actor: SYSTEM });

  return {
    levels: plan.levels.length,
    teams: plan.teams.length,
    agents: plan.agents.length,
    accounts: plan.accounts.length,
    customers: plan.customers.length,
    ...counts,
    historyTickets,
    showcaseTickets: live.tickets,
  };
}

/**
 * The service levels a support team would run with, set up at the end of the history (so the past is not
 * replayed against targets it never had) and applied to the tickets still open: office hours in Berlin with
 * German public holidays; VIP customers answered within 1 h, others within 4 h; warnings at 75%; a breach
 * of resolution escalates one level, again every working day; escalations unacknowledged for 2 h climb.
 * And the role authority limits: agents refund up to 50 EUR, leads 250, managers 2,000 without approval.
 */
async function setUpServiceLevels(ctx: CommandContext): Promise<void> {
  const office: [string, string][] = [["08:00", "18:00"]];
  const calendar = await createCalendar(
    ctx,
    CreateCalendarBody.parse({
      name: "Berlin office hours",
      timezone: "Europe/Berlin",
      hours: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] },
      holidays: [{ date: `${ctx.clock.now().getUTCFullYear()}-12-24`, name: "Christmas Eve (office closed)" }],
      holidayRegion: "DE-BE",
    }),
  );
  const steps = [
    { type: "warning", metric: "first_response", atPercent: 75 },
    { type: "warning", metric: "resolution", atPercent: 75 },
    { type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "next_level" }, repeatEvery: "PT10H", maxRepeats: 2 },
    { type: "escalate", metric: "first_response", after: "PT30M", to: { kind: "role", role: "lead" } },
  ];
  await createSlaPolicy(
    ctx,
    CreateSlaPolicyBody.parse({
      name: "VIP customers",
      position: 10,
      conditions: { customerTiers: ["vip"] },
      calendarId: calendar.id,
      targets: {
        first_response: { low: "PT2H", normal: "PT1H", high: "PT30M", urgent: "PT15M" },
        next_response: { low: "PT4H", normal: "PT2H", high: "PT1H", urgent: "PT30M" },
        periodic_update: { normal: "P1D", high: "PT8H", urgent: "PT4H" },
        resolution: { low: "P3D", normal: "P2D", high: "P1D", urgent: "PT8H" },
      },
      steps,
      ackTimeout: "PT1H",
    }),
  );
  await createSlaPolicy(
    ctx,
    CreateSlaPolicyBody.parse({
      name: "Standard",
      position: 100,
      calendarId: calendar.id,
      targets: {
        first_response: { low: "PT8H", normal: "PT4H", high: "PT2H", urgent: "PT1H" },
        next_response: { low: "P1D", normal: "PT8H", high: "PT4H", urgent: "PT2H" },
        resolution: { low: "P10D", normal: "P5D", high: "P2D", urgent: "P1D" },
      },
      steps,
      ackTimeout: "PT2H",
    }),
  );
  await reapplySlaPolicies(ctx);
  // What each role may grant without an approval; some demo agents have their own limits on top.
  const eur = (amount: number) => ({ amount, currency: "EUR" });
  await setRoleLimits(ctx, [
    { role: "agent", type: "refund", ...eur(50) },
    { role: "agent", type: "goodwill", ...eur(20) },
    { role: "lead", type: "refund", ...eur(250) },
    { role: "lead", type: "credit", ...eur(250) },
    { role: "lead", type: "goodwill", ...eur(100) },
    { role: "manager", type: "refund", ...eur(2000) },
    { role: "manager", type: "credit", ...eur(2000) },
    { role: "manager", type: "replacement", ...eur(2000) },
    { role: "manager", type: "goodwill", ...eur(500) },
  ]);
}

/**
 * The demo's escalation matrix: urgent tickets of VIP customers go straight to L2; mentions of a lawyer,
 * legal action or a regulator go to management (`legal_risk`); a third reopen escalates hierarchically
 * (`recurring_issue`); payment failures go functionally to billing. Then four customers write in (and one
 * ticket is reopened a third time) so that each rule has fired in the demo. Returns what it wrote.
 */
async function setUpEscalationMatrix(
  ctx: CommandContext,
  teamIds: Map<string, string>,
  people: { vip: string; standard: string[]; agent: AgentPrincipal },
): Promise<{ tickets: number; messages: number; escalations: number }> {
  const rules = [
    {
      name: "Urgent VIP tickets straight to L2",
      position: 10,
      conditions: [
        { field: "priority", op: "in", value: ["urgent"] },
        { field: "customerTier", op: "in", value: ["vip"] },
      ],
      actions: [{ type: "route", teamId: teamIds.get("technical")! }],
    },
    {
      name: "Legal threats to management",
      position: 20,
      triggers: ["ticket.created", "message.received"],
      conditions: [{ field: "text", op: "contains_any", value: ["lawyer", "legal action", "regulator"] }],
      actions: [
        { type: "escalate", kind: "hierarchical", teamId: teamIds.get("management")!, reason: "legal_risk" },
        { type: "notify", role: "manager" },
        { type: "require_ack", within: "PT1H" },
      ],
      stopProcessing: true,
    },
    {
      name: "Third reopen is a recurring issue",
      position: 30,
      triggers: ["ticket.updated", "message.received"],
      conditions: [{ field: "reopenCount", op: "gte", value: 3 }],
      actions: [{ type: "escalate", kind: "hierarchical", teamId: teamIds.get("management")!, reason: "recurring_issue" }],
    },
    {
      name: "Payment failures to billing",
      position: 40,
      triggers: ["ticket.created", "message.received"],
      conditions: [{ field: "text", op: "contains_any", value: ["payment failed", "payment failure", "card declined", "card was declined"] }],
      actions: [{ type: "escalate", kind: "functional", teamId: teamIds.get("billing")!, reason: "needs_expertise" }],
    },
  ];
  for (const rule of rules) await createRule(ctx, CreateRuleBody.parse(rule));

  const minute = () => (ctx.clock as FakeClock).advance(60_000);
  const asCustomer = (id: string): CommandContext => ({ ...ctx, actor: { kind: "customer", id } });
  const asAgent: CommandContext = { ...ctx, actor: people.agent };
  const opened: string[] = [];
  const open = async (customerId: string, input: Record<string, unknown>) => {
    const ticket = await createTicket(asCustomer(customerId), CreateTicketBody.parse({ channel: "web", tags: [], ...input }));
    opened.push(ticket.id);
    return ticket;
  };

  // By mail, through Tierline itself: a customer's own portal ticket would get normal priority (see createTicket).
  const urgent = await createTicket(ctx, CreateTicketBody.parse({
    channel: "email",
    customerId: people.vip,
    subject: "All our cameras are offline",
    description: "Since 9:00 none of the 40 cameras in our warehouse records. We need this fixed now.",
    priority: "urgent",
    category: "technical",
  }));
  opened.push(urgent.id);
  minute();
  await open(people.standard[0]!, { subject: "Third wrong invoice", description: "You billed me for a plan I cancelled in June. If this is not corrected this week, my lawyer will take it from here.", category: "billing" });
  minute();
  await open(people.standard[1]!, { subject: "Payment failed at checkout", description: "My card was declined twice when renewing, although the bank says everything is fine.", category: "billing" });
  minute();
  const flaky = await open(people.standard[2]!, { subject: "Hub disconnects every night", description: "The hub goes offline around 2 am and the app shows no devices until I restart it.", category: "technical" });
  for (let i = 0; i < 3; i++) {
    minute();
    await updateTicket(asAgent, flaky.id, { status: "resolved" });
    minute();
    await addMessage(asCustomer(people.standard[2]!), flaky.id, { body: "It happened again last night." });
  }
  const [written] = await ctx.db
    .select({ n: count() })
    .from(escalations)
    .where(inArray(escalations.ticketId, opened));
  return { tickets: opened.length, messages: 3, escalations: written!.n };
}
