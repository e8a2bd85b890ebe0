import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { acknowledgeEscalation } from "../commands/acknowledge-escalation.js";
import type { CommandContext } from "../commands/context.js";
import { createTicket } from "../commands/create-ticket.js";
import { escalateTicket } from "../commands/escalate-ticket.js";
import { updateTicket } from "../commands/update-ticket.js";
import { deadlines, escalations, events, slaClocks, tickets, type Ticket } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Store } from "../db/store.js";
import { FakeClock, systemClock } from "../domain/clock.js";
import type { SlaPolicy } from "../domain/sla/policy.js";
import { buildOrganisation, type Organisation } from "../test-support/factories.js";
import { insertPolicy } from "../test-support/sla-factories.js";
import { openTestStore, testStoreKind } from "../test-support/test-store.js";
import { openPostgresStore } from "../db/store.js";
import { DeadlineEngine } from "./deadline-engine.js";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("the deadline engine", () => {
  let store: Store;
  let org: Organisation;
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  let n = 0;

  beforeAll(async () => {
    store = await openTestStore();
    org = await buildOrganisation(store, clock);
  });

  const agent = (): CommandContext => ({ db: store.db, clock, actor: org.agents.alice.principal });
  const drain = () => new DeadlineEngine({ store, clock }).drainDue();

  async function ticketUnder(policy: Partial<SlaPolicy>): Promise<Ticket> {
    const category = `engine-${++n}`;
    await insertPolicy(store, { ...policy, conditions: { categories: [category] } });
    return createTicket(agent(), {
      subject: "Payment failed",
      description: "Card declined twice.",
      channel: "web",
      priority: "normal",
      category,
      tags: [],
      customer: { email: `e${n}@engine.test` },
    });
  }
  const escalationsOf = (ticketId: string) =>
    store.db.select().from(escalations).where(eq(escalations.ticketId, ticketId)).orderBy(asc(escalations.requestedAt));
  const eventTypes = async (ticketId: string) =>
    (await store.db.select().from(events).where(eq(events.ticketId, ticketId)).orderBy(asc(events.id))).map((e) => e.type);
  const ticketNow = async (id: string) => (await store.db.select().from(tickets).where(eq(tickets.id, id)))[0]!;

  it("climbs a chain level by level, each step once, and stops at the top", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({
      targets: { resolution: { normal: "PT1H" } },
      steps: [{ type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "next_level" }, raisePriority: false, repeatEvery: "PT1H", maxRepeats: 3 }],
    });
    clock.set("2026-03-02T10:00:00Z"); // breach: L1 → L2
    await drain();
    expect((await ticketNow(t.id)).levelId).toBe(org.levels.l2.id);
    await drain(); // nothing more is due
    expect(await escalationsOf(t.id)).toHaveLength(1);

    clock.set("2026-03-02T11:00:00Z"); // +1 h: L2 → L3
    await drain();
    expect((await ticketNow(t.id)).levelId).toBe(org.levels.l3.id);
    clock.set("2026-03-02T12:00:00Z"); // +2 h: no level above L3
    await drain();
    clock.set("2026-03-03T12:00:00Z"); // a day later: the chain is done
    await drain();

    const chain = await escalationsOf(t.id);
    expect(chain.map((e) => [e.kind, e.reason, e.toLevelId])).toEqual([
      ["automatic", "sla_breach", org.levels.l2.id],
      ["automatic", "sla_breach", org.levels.l3.id],
    ]);
    expect(chain[0]!.outcome).toBe("escalated_further");
    const types = await eventTypes(t.id);
    expect(types.filter((x) => x === "sla.breached")).toHaveLength(1);
    expect(types.filter((x) => x === "sla.escalation_skipped")).toHaveLength(1);
    const fired = await store.db.select().from(deadlines).where(eq(deadlines.ticketId, t.id));
    expect(fired.every((d) => d.firedAt !== null)).toBe(true);
    expect(fired.map((d) => d.stepKey).sort()).toEqual(["breach", "step:0:0", "step:0:1", "step:0:2"]);
  });

  it("warns before the breach, once, even across a pause", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({
      targets: { first_response: { normal: "PT2H" } },
      steps: [{ type: "warning", metric: "first_response", atPercent: 50 }],
    });
    clock.set("2026-03-02T10:00:00Z");
    await drain();
    await updateTicket(agent(), t.id, { status: "pending" });
    clock.advance(HOUR);
    await updateTicket(agent(), t.id, { status: "open" });
    clock.advance(30 * MIN);
    await drain();
    const types = await eventTypes(t.id);
    expect(types.filter((x) => x === "sla.warning")).toHaveLength(1);
    expect(types).not.toContain("sla.breached");
  });

  it("escalates to an agent of a role, raising the priority", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({
      targets: { resolution: { normal: "PT1H" } },
      steps: [{ type: "escalate", metric: "resolution", after: "PT30M", to: { kind: "role", role: "lead" }, raisePriority: true, maxRepeats: 1 }],
    });
    clock.set("2026-03-02T10:29:00Z");
    await drain();
    expect(await escalationsOf(t.id)).toHaveLength(0);
    clock.set("2026-03-02T10:30:00Z");
    await drain();
    const [e] = await escalationsOf(t.id);
    expect(e).toMatchObject({ kind: "automatic", toAgentId: org.agents.lena.id, toTeamId: org.teams.frontline.id });
    expect((await ticketNow(t.id)).priority).toBe("high");
  });

  it("climbs one more level when an escalation is not acknowledged in time, and not when it is", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const policy = { targets: { resolution: { normal: "P5D" } }, ackTimeout: "PT30M" };
    const ignored = await ticketUnder(policy);
    const taken = await ticketUnder(policy);
    for (const t of [ignored, taken]) {
      await escalateTicket(agent(), t.id, { kind: "functional", toTeamId: org.teams.billing.id, reason: "needs_expertise", note: "Refund over the agent limit." });
    }
    const [takenEscalation] = await escalationsOf(taken.id);
    clock.advance(10 * MIN);
    await acknowledgeEscalation({ db: store.db, clock, actor: org.agents.bob.principal }, takenEscalation!.id);
    clock.advance(21 * MIN);
    await drain();
    const climbed = await escalationsOf(ignored.id);
    expect(climbed.map((e) => [e.kind, e.reason, e.toLevelId])).toEqual([
      ["functional", "needs_expertise", org.levels.l2.id],
      ["automatic", "not_acknowledged", org.levels.l3.id],
    ]);
    expect(await escalationsOf(taken.id)).toHaveLength(1);
  });

  it("does nothing for a ticket resolved before its steps come due", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({
      targets: { resolution: { normal: "PT1H" } },
      steps: [{ type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "next_level" }, raisePriority: false, maxRepeats: 1 }],
    });
    await updateTicket(agent(), t.id, { status: "resolved" });
    clock.set("2026-03-02T12:00:00Z");
    await drain();
    expect(await escalationsOf(t.id)).toHaveLength(0);
    const pending = await store.db.select().from(deadlines).where(and(eq(deadlines.ticketId, t.id), isNull(deadlines.firedAt)));
    expect(pending).toHaveLength(0);
  });

  it("in real time, escalates a PT2S first-response breach within the following second", async () => {
    const category = `engine-${++n}`;
    await insertPolicy(store, {
      conditions: { categories: [category] },
      targets: { first_response: { urgent: "PT2S" } },
      steps: [{ type: "escalate", metric: "first_response", after: "PT0S", to: { kind: "next_level" }, raisePriority: false, maxRepeats: 1 }],
    });
    const engine = new DeadlineEngine({ store, clock: systemClock });
    await engine.start();
    try {
      const t = await createTicket(
        { db: store.db, clock: systemClock, actor: org.agents.alice.principal },
        { subject: "Site down", description: "Checkout returns 500.", channel: "api", priority: "urgent", category, tags: [], customer: { email: "rt@engine.test" } },
      );
      const [c] = await store.db.select().from(slaClocks).where(and(eq(slaClocks.ticketId, t.id), eq(slaClocks.metric, "first_response")));
      const dueAt = c!.dueAt!.getTime();
      let escalation;
      while (!escalation && Date.now() < dueAt + 5_000) {
        await new Promise((r) => setTimeout(r, 50));
        [escalation] = await escalationsOf(t.id);
      }
      expect(escalation).toBeDefined();
      const lateMs = escalation!.requestedAt.getTime() - dueAt;
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(1_000);
    } finally {
      await engine.stop();
    }
  });

  it.runIf(testStoreKind() === "postgres")("shares 2,000 due deadlines between two instances: each fires exactly once", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const category = `engine-${++n}`;
    const policyId = await insertPolicy(store, { conditions: { categories: [category] }, targets: { resolution: { normal: "PT1H" } } });
    // 2,000 tickets with a running resolution clock each, all due at 10:00, written in bulk.
    await store.db.execute(sql`
      with t as (
        insert into tickets (subject, description, channel, priority, category, customer_id, level_id, team_id, sla_policy_id, created_at, updated_at)
        select 'Bulk ' || g, 'bulk', 'api', 'normal', ${category}, ${org.customers.carol.id}, ${org.levels.l1.id}, ${org.teams.frontline.id}, ${policyId},
               '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z'
        from generate_series(1, 2000) g returning id),
      c as (
        insert into sla_clocks (ticket_id, policy_id, metric, state, target_ms, started_at, running_since, due_at)
        select id, ${policyId}, 'resolution', 'running', 3600000, '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z' from t returning id, ticket_id)
      insert into deadlines (due_at, ticket_id, clock_id, step_key, payload)
      select '2026-03-02T10:00:00Z', ticket_id, id, 'breach', '{"type":"breach"}' from c`);
    clock.set("2026-03-02T10:00:00Z");
    // A second instance: its own connection pool, as another process would have.
    const url = (store as unknown as { db: { $client: { options: { connectionString: string } } } }).db.$client.options.connectionString;
    const other = openPostgresStore(url, 5);
    try {
      const [a, b] = await Promise.all([
        new DeadlineEngine({ store, clock, batchSize: 50, workers: 2 }).drainDue(),
        new DeadlineEngine({ store: other, clock, batchSize: 50, workers: 2 }).drainDue(),
      ]);
      expect(a + b).toBe(2000);
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    const [counts] = await queryRows<{ breached: number; unfired: number; events: number }>(
      store.db,
      sql`select (select count(*) from sla_clocks c join tickets t on t.id = c.ticket_id where t.category = ${category} and c.state = 'breached')::int as breached,
                 (select count(*) from deadlines d join tickets t on t.id = d.ticket_id where t.category = ${category} and d.fired_at is null)::int as unfired,
                 (select count(*) from events e join tickets t on t.id = e.ticket_id where t.category = ${category} and e.type = 'sla.breached')::int as events`,
    );
    expect(counts).toEqual({ breached: 2000, unfired: 0, events: 2000 });
  });


  it.runIf(testStoreKind() === "postgres")("fires a deadline whose claimer crashed before commit, exactly once", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const t = await ticketUnder({ targets: { first_response: { normal: "PT1H" } } });
    clock.set("2026-03-02T10:00:00Z");
    const url = (store as unknown as { db: { $client: { options: { connectionString: string } } } }).db.$client.options.connectionString;
    const crashed = openPostgresStore(url, 1);
    const other = new DeadlineEngine({ store, clock });
    try {
      // An instance claims the deadline and dies before committing: its transaction never completes.
      await expect(
        crashed.db.transaction(async (tx) => {
          const claimed = await tx.execute(sql`select id from deadlines where ticket_id = ${t.id} and fired_at is null for update skip locked`);
          expect((claimed as unknown as { rows: unknown[] }).rows).toHaveLength(1);
          // While it holds the claim, another instance passes the row by.
          expect(await other.drainDue()).toBe(0);
          throw new Error("process killed");
        }),
      ).rejects.toThrow("process killed");
      expect(await other.drainDue()).toBe(1);
      expect(await other.drainDue()).toBe(0);
    } finally {
      await crashed.close();
    }
    expect((await eventTypes(t.id)).filter((x) => x === "sla.breached")).toHaveLength(1);
  });

  it("fires what fell due while no engine ran, oldest first, as soon as one starts", async () => {
    clock.set("2026-03-02T09:00:00Z");
    const first = await ticketUnder({ targets: { first_response: { normal: "PT1H" } } });
    clock.set("2026-03-02T09:30:00Z");
    const second = await ticketUnder({ targets: { first_response: { normal: "PT1H" } } });
    clock.set("2026-03-02T12:00:00Z");
    const fired: string[] = [];
    // One claiming loop, so the order of commits is the order of claims (several loops claim in parallel).
    const engine = new DeadlineEngine({ store, clock, batchSize: 1, workers: 1, onCommitted: (rows) => fired.push(...rows.map((r) => r.ticketId)) });
    await engine.start();
    await engine.stop();
    expect(fired.filter((id) => id === first.id || id === second.id)).toEqual([first.id, second.id]);
  });
});
