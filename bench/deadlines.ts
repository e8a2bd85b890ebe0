/**
 * Deadline engine benchmark on PostgreSQL: N open tickets with running SLA clocks, M of which breach,
 * either spread over a window or all at one instant (a burst). The policy escalates at the breach, so
 * every breaching clock fires two deadlines (the breach and the escalation step). The engine runs as in
 * `tierline serve`: started ahead of time, woken by its own timer. Lateness = commit time of the
 * escalation − its due time. Prints one JSON line per scenario.
 *
 *   npm run bench:deadlines -- [--clocks 100000] [--spread 2000] [--window 20] [--burst 10000]
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { runAdminSql } from "../src/test-support/postgres-admin.js";
import { openPostgresStore, type Store } from "../src/db/store.js";
import { systemClock } from "../src/domain/clock.js";
import { DeadlineEngine } from "../src/engine/deadline-engine.js";
import { queryRows } from "../src/db/raw.js";

const { values: args } = parseArgs({
  options: {
    clocks: { type: "string", default: "100000" },
    spread: { type: "string", default: "2000" },
    window: { type: "string", default: "20" },
    burst: { type: "string", default: "10000" },
    workers: { type: "string", default: "4" },
    "postgres-url": { type: "string", default: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const clocks = Number(args.clocks);
const spread = Number(args.spread);
const windowS = Number(args.window);
const burst = Number(args.burst);

const name = `tierline_bench_deadlines_${process.pid}`;
await runAdminSql(args["postgres-url"]!, `drop database if exists ${name} with (force)`);
await runAdminSql(args["postgres-url"]!, `create database ${name}`);
const url = new URL(args["postgres-url"]!);
url.pathname = `/${name}`;
const store = openPostgresStore(url.toString(), Number(args.workers) + 4);
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
try {
  await store.migrate();
  const ids = await prepareOrganisation(store);
  console.log(JSON.stringify(await scenario("spread", ids, spread, windowS * 1000)));
  console.log(JSON.stringify(await scenario("burst", ids, burst, 0)));
} finally {
  clearInterval(rssTimer);
  await store.close();
  await runAdminSql(args["postgres-url"]!, `drop database if exists ${name} with (force)`);
}

/**
 * Fills the store with `clocks` open tickets (deleting earlier ones), `breaching` of which are due between
 * start+5 s and start+5 s+windowMs; the rest are due tomorrow. Then runs the engine until all due ones fired.
 */
async function scenario(label: string, ids: Ids, breaching: number, windowMs: number) {
  await store.db.execute(sql`truncate deadlines, sla_clocks, escalations, events, outbox, tickets restart identity cascade`);
  const t0 = Date.now() + 5_000 + Math.ceil(clocks / 25_000) * 1_000; // time for the bulk insert below
  const start = new Date(t0).toISOString();
  // One statement per 25k tickets: ticket, clock, breach deadline and escalation-step deadline.
  for (let from = 1; from <= clocks; from += 25_000) {
    const to = Math.min(clocks, from + 24_999);
    await store.db.execute(sql`
      with t as (
        insert into tickets (subject, description, channel, priority, customer_id, level_id, team_id, sla_policy_id, status, created_at, updated_at)
        select 'Bench ' || g, 'bench', 'api', 'normal', ${ids.customer}, ${ids.l1}, ${ids.frontline}, ${ids.policy}, 'open', now(), now()
        from generate_series(${from}::int, ${to}::int) g
        returning id, number),
      c as (
        insert into sla_clocks (ticket_id, policy_id, metric, state, target_ms, started_at, running_since, due_at)
        select id, ${ids.policy}, 'resolution', 'running', 3600000, now(), now(),
               case when number <= ${breaching} then ${start}::timestamptz + (number - 1) * (${windowMs}::float8 / greatest(${breaching}, 1)) * interval '1 millisecond'
                    else now() + interval '1 day' end
        from t returning id, ticket_id, due_at)
      insert into deadlines (due_at, ticket_id, clock_id, step_key, payload)
      select due_at, ticket_id, id, k.key, k.payload from c,
        (values ('breach', '{"type":"breach"}'::jsonb),
                ('step:0:0', ${JSON.stringify({ type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "next_level" }, raisePriority: false, maxRepeats: 1, index: 0, repeat: 0, policyId: ids.policy })}::jsonb)) as k(key, payload)`);
  }
  await store.db.execute(sql`analyze`);
  const lateness: number[] = [];
  let firstCommit = Infinity;
  let lastCommit = 0;
  const engine = new DeadlineEngine({
    store,
    clock: systemClock,
    workers: Number(args.workers),
    batchSize: 100,
    onCommitted: (fired, committedAt) => {
      for (const d of fired) {
        if (d.stepKey !== "step:0:0") continue;
        lateness.push(committedAt.getTime() - d.dueAt.getTime());
        firstCommit = Math.min(firstCommit, committedAt.getTime());
        lastCommit = Math.max(lastCommit, committedAt.getTime());
      }
    },
    onError: (err) => console.error(err),
  });
  if (Date.now() > t0) throw new Error("the bulk insert took longer than planned; the breaches are already overdue");
  await engine.start();
  const deadline = t0 + windowMs + 120_000;
  while (lateness.length < breaching && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await engine.stop();
  const [check] = await queryRows<{ escalations: number }>(store.db, sql`select count(*)::int as escalations from escalations`);
  lateness.sort((a, b) => a - b);
  const pct = (p: number) => lateness[Math.min(lateness.length - 1, Math.ceil((p / 100) * lateness.length) - 1)] ?? null;
  return {
    scenario: label,
    clocks,
    breaching,
    window_s: windowMs / 1000,
    fired: lateness.length,
    escalations_stored: check!.escalations,
    lateness_p50_ms: pct(50),
    lateness_p99_ms: pct(99),
    lateness_max_ms: lateness[lateness.length - 1] ?? null,
    // Over the burst: the whole set handled from its due instant to the last commit.
    handled_within_s: lateness.length ? Math.round((lastCommit - t0) / 10) / 100 : null,
    fired_per_s: lateness.length > 1 ? Math.round(lateness.length / Math.max((lastCommit - Math.min(firstCommit, t0)) / 1000, 0.001)) : null,
    peak_rss_mb: Math.round(peakRss / 1e6),
  };
}

type Ids = { customer: string; l1: string; frontline: string; policy: string };

async function prepareOrganisation(s: Store): Promise<Ids> {
  const [row] = await queryRows<Ids>(
    s.db,
    sql`with l1 as (insert into levels (name, rank) values ('L1', 1) returning id),
             l2 as (insert into levels (name, rank) values ('L2', 2) returning id),
             f as (insert into teams (name, level_id, kind) select 'Frontline', id, 'frontline' from l1 returning id),
             m as (insert into teams (name, level_id, kind) select 'Escalations', id, 'management' from l2 returning id),
             c as (insert into customers (email, name) values ('bench@bench.test', 'Bench') returning id),
             p as (insert into sla_policies (name, position, targets, steps) values ('bench', 1, '{"resolution":{"normal":"PT1H"}}',
                   '[{"type":"escalate","metric":"resolution","after":"PT0S","to":{"kind":"next_level"},"raisePriority":false,"maxRepeats":1}]') returning id)
        select (select id from c) as customer, (select id from l1) as l1, (select id from f) as frontline, (select id from p) as policy`,
  );
  return row!;
}
