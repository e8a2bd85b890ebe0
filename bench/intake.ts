/**
 * Ticket intake benchmark: N concurrent keep-alive clients POST /api/v1/tickets on loopback for a bounded
 * time, against a Tierline server in its own process, on PostgreSQL and on the embedded PGlite store.
 * Prints one JSON line per store.
 *
 *   npm run bench:intake -- [--store postgres|pglite|both] [--concurrency 16] [--seconds 10] [--customers 1000]
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../src/db/store.js";
import { systemClock } from "../src/domain/clock.js";
import { SYSTEM } from "../src/domain/principal.js";
import { createLevel } from "../src/commands/create-level.js";
import { createTeam } from "../src/commands/create-team.js";
import { createAgent } from "../src/commands/create-agent.js";
import { createApiToken } from "../src/commands/create-api-token.js";
import { queryRows } from "../src/db/raw.js";
import { createSlaPolicy } from "../src/commands/create-sla-policy.js";
import { freePort, serverPeakRssMb, startServer, stopServer } from "./support/server-process.js";
import { freshStore } from "./support/fresh-store.js";

const { values: args } = parseArgs({
  options: {
    store: { type: "string", default: "both" },
    concurrency: { type: "string", default: "16" },
    seconds: { type: "string", default: "10" },
    customers: { type: "string", default: "1000" },
    /** With an active SLA policy, so every ticket also starts its clocks and schedules their deadlines. */
    sla: { type: "boolean", default: false },
    "postgres-url": { type: "string", default: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const concurrency = Number(args.concurrency);
const seconds = Math.min(Number(args.seconds), 120); // load tests stay bounded
const customerPool = Number(args.customers);
const stores = args.store === "both" ? ["postgres", "pglite"] : [args.store!];

for (const kind of stores) {
  console.log(JSON.stringify(await runOne(kind as "postgres" | "pglite")));
}

async function runOne(kind: "postgres" | "pglite") {
  const { env, cleanup } = await freshStore(kind, args["postgres-url"]!, "bench");

  // Prepare the organisation and an API token, then close: PGlite's folder is used by one process at a time.
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
  await store.migrate();
  const token = await prepare(store);
  await store.close();

  const port = await freePort();
  const server = await startServer({ ...env, TIERLINE_PORT: String(port), TIERLINE_LOG_LEVEL: "warn" }, { built: true });
  try {
    const url = `http://127.0.0.1:${port}`;
    let n = 0;
    const result = await autocannon({
      url: `${url}/api/v1/tickets`,
      connections: concurrency,
      duration: seconds,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          setupRequest: (req) => {
            n++;
            return {
              ...req,
              body: JSON.stringify({
                subject: `Cannot sign in (#${n})`,
                description: "Since this morning the sign-in page says my password is wrong, though I reset it twice.",
                channel: n % 3 === 0 ? "web" : "email",
                priority: ["low", "normal", "high", "urgent"][n % 4],
                category: "account",
                customer: { email: `customer${n % customerPool}@bench.test`, name: `Customer ${n % customerPool}` },
                tags: ["bench"],
              }),
            };
          },
        },
      ],
    });
    const peakRssMb = serverPeakRssMb(server);
    // Stop the server before counting: the PGlite folder is open in one process at a time.
    await stopServer(server);
    const check = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" }).catch(() => null);
    const stored = check ? await countTickets(check) : null;
    return {
      store: kind,
      sla_policy: args.sla,
      concurrency,
      seconds,
      tickets_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      created: result["2xx"],
      stored_tickets: stored,
      server_peak_rss_mb: peakRssMb,
    };
  } finally {
    await stopServer(server);
    await cleanup();
  }
}

async function prepare(store: Store): Promise<string> {
  const ctx = { db: store.db, clock: systemClock, actor: SYSTEM };
  const l1 = await createLevel(ctx, { name: "L1", rank: 1 });
  await createTeam(ctx, { name: "Frontline", levelId: l1.id, kind: "frontline" });
  const agent = await createAgent(ctx, {
    email: "intake@bench.test",
    name: "Intake bot",
    role: "admin",
    teamIds: [],
    skills: [],
    authorityLimits: {},
  });
  const { token } = await createApiToken({ ...ctx, actor: { kind: "agent", id: agent.id, role: "admin", teamIds: [] } }, { name: "bench" });
  if (args.sla) {
    const every = { low: "PT8H", normal: "PT4H", high: "PT1H", urgent: "PT30M" };
    await createSlaPolicy(ctx, {
      name: "Standard",
      position: 1,
      active: true,
      conditions: {},
      calendarId: null,
      pauseStatuses: ["pending", "on_hold"],
      targets: { first_response: every, next_response: every, periodic_update: { low: "P1D", normal: "P1D", high: "P1D", urgent: "P1D" }, resolution: { low: "P5D", normal: "P3D", high: "P1D", urgent: "PT8H" } },
      steps: [
        { type: "warning", metric: "first_response", atPercent: 75 },
        { type: "escalate", metric: "resolution", after: "PT0S", to: { kind: "next_level" }, raisePriority: false, maxRepeats: 3, repeatEvery: "P1D" },
      ],
      ackTimeout: null,
      resolutionCountsAsResponse: false,
    });
  }
  return token;
}

async function countTickets(store: Store): Promise<number> {
  const [row] = await queryRows<{ n: number }>(store.db, sql`select count(*)::int as n from tickets`);
  await store.close();
  return row!.n;
}
