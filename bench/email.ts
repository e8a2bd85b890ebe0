/**
 * Inbound email benchmark: N mails over K concurrent SMTP connections on loopback to the SMTP listener of a
 * Tierline server in its own process (`tierline serve` with TIERLINE_SMTP_LISTEN), on PostgreSQL and on the
 * embedded PGlite store. Every mail is a new customer's message, so each one becomes a stored ticket; the
 * listener answers 250 only after the ticket's transaction has committed. Prints one JSON line per store.
 *
 *   npm run bench:email -- [--store postgres|pglite|both] [--messages 2000] [--concurrency 8] [--seconds 120] [--senders 500]
 *
 * Latency is measured per mail from the end of DATA (the final ".") to the server's 250.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../src/db/store.js";
import { systemClock } from "../src/domain/clock.js";
import { SYSTEM } from "../src/domain/principal.js";
import { createLevel } from "../src/commands/create-level.js";
import { createTeam } from "../src/commands/create-team.js";
import { createMailbox } from "../src/commands/create-mailbox.js";
import { CreateMailboxBody } from "../src/schemas/mailbox.schemas.js";
import { queryRows } from "../src/db/raw.js";
import { freePort, serverPeakRssMb, startServer, stopServer } from "./support/server-process.js";
import { freshStore } from "./support/fresh-store.js";
import { SmtpClient } from "./support/smtp-client.js";

const MAILBOX = "support@bench.test";

const { values: args } = parseArgs({
  options: {
    store: { type: "string", default: "both" },
    messages: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "8" },
    seconds: { type: "string", default: "120" },
    senders: { type: "string", default: "500" },
    "postgres-url": { type: "string", default: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const total = Number(args.messages);
const concurrency = Number(args.concurrency);
const seconds = Math.min(Number(args.seconds), 600); // load tests stay bounded
const senders = Number(args.senders);
const stores = args.store === "both" ? ["postgres", "pglite"] : [args.store!];

async function runOne(kind: "postgres" | "pglite") {
  const { env, cleanup } = await freshStore(kind, args["postgres-url"]!, "bench_email");

  // Prepare the organisation and the mailbox, then close: PGlite's folder is used by one process at a time.
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
  await store.migrate();
  await prepare(store);
  await store.close();

  const [httpPort, smtpPort] = [await freePort(), await freePort()];
  const server = await startServer({
    ...env,
    TIERLINE_PORT: String(httpPort),
    TIERLINE_SMTP_LISTEN: `127.0.0.1:${smtpPort}`,
    TIERLINE_IMAP_POLL: "false",
    TIERLINE_LOG_LEVEL: "warn",
  }, { built: false });
  try {
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const smtp = await SmtpClient.open(smtpPort);
        await smtp.command(`EHLO bench-${worker}.test`, 250);
        while (next < total && Date.now() < deadline) {
          const i = next++;
          try {
            latencies.push(await smtp.send(`customer${i % senders}@bench.test`, MAILBOX, message(i)));
          } catch {
            errors += 1;
            await smtp.command("RSET", 250).catch(() => undefined);
          }
        }
        await smtp.quit();
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    const peakRssMb = serverPeakRssMb(server);
    // Stop the server before counting: the PGlite folder is open in one process at a time.
    await stopServer(server);
    const check = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
    const stored = await countEmailTickets(check);
    latencies.sort((a, b) => a - b);
    return {
      store: kind,
      messages: latencies.length,
      concurrency,
      seconds: round(elapsed),
      messagesPerSecond: Math.round(latencies.length / elapsed),
      p50Ms: round(percentile(latencies, 0.5)),
      p99Ms: round(percentile(latencies, 0.99)),
      errors,
      storedTickets: stored,
      serverPeakRssMb: peakRssMb,
    };
  } finally {
    await stopServer(server);
    await cleanup();
  }
}

/** A typical customer mail: a few headers, a short text part, a unique Message-ID. */
function message(i: number): string {
  return [
    `From: Customer ${i} <customer${i % senders}@bench.test>`,
    `To: Support <${MAILBOX}>`,
    `Subject: Router keeps dropping the connection (#${i})`,
    `Message-ID: <bench-${i}-${process.pid}@bench.test>`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "Hello,",
    "",
    "since this morning my router drops the connection every few minutes. I restarted it twice and",
    "checked the cables; the status light blinks orange when it happens. Could someone have a look? 🙏",
    "",
    "Thanks,",
    `Customer ${i}`,
    "",
  ].join("\r\n");
}

async function prepare(store: Store): Promise<void> {
  const ctx = { db: store.db, clock: systemClock, actor: SYSTEM };
  const l1 = await createLevel(ctx, { name: "L1", rank: 1 });
  const team = await createTeam(ctx, { name: "Frontline", levelId: l1.id, kind: "frontline" });
  await createMailbox(ctx, CreateMailboxBody.parse({ name: "Support", address: MAILBOX, teamId: team.id }));
}

async function countEmailTickets(store: Store): Promise<number> {
  const [row] = await queryRows<{ n: number }>(store.db, sql`select count(*)::int as n from tickets where channel = 'email'`);
  await store.close();
  return row!.n;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (x: number) => Math.round(x * 100) / 100;

// Last, after the classes and constants above are initialised.
for (const kind of stores) {
  console.log(JSON.stringify(await runOne(kind as "postgres" | "pglite")));
}
