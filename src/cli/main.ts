#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { loadConfig, ConfigError, type Config } from "../config.js";
import { openStore, type Store } from "../db/store.js";
import { systemClock } from "../domain/clock.js";
import { buildApp } from "../http/app.js";
import { createAdmin } from "../commands/create-admin.js";
import { spawn } from "node:child_process";
import { DEMO_PASSWORD, isStoreEmpty, seedDemo } from "../seed/demo.js";
import { seedVolume } from "../seed/volume.js";
import { Presets, SingleBar } from "cli-progress";
import { DeadlineEngine } from "../engine/deadline-engine.js";
import { startInboundMail } from "../channels/email/inbound/start-inbound-mail.js";
import { startOutbox } from "../outbox/start-outbox.js";
import { blobStoreOf } from "../blobs/blob-store.js";
import { startBlobSweeper, sweepOrphanBlobs } from "../blobs/sweep-orphans.js";
import { pino } from "pino";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SYSTEM } from "../domain/principal.js";
import { checkPolicyText } from "../policy/check-policy.js";
import { AppError } from "../domain/errors.js";
import { exportPolicy, toYaml } from "../policy/export-policy.js";
import { applyPolicy, type ApplyResult } from "../policy/apply-policy.js";
import { formatChanges } from "../policy/format-changes.js";
import { acquireDataLock, DataFolderLockedError, describeHolder, LOCK_FILE, lockHolderOf, type DataLock, type LockHolder } from "../db/data-lock.js";

const program = new Command()
  .name("tierline")
  .description("Tierline: customer escalation management. Configuration comes from environment variables (see README).");

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return n;
};

/** This process's lock on the embedded store's data folder, held from the first open until it exits. */
let dataLock: DataLock | undefined;

/**
 * Loads the configuration and opens and migrates the store; a bad configuration stops with its message.
 * The embedded store is locked first: another running Tierline holding it stops this command, named.
 */
async function open(command: string, overrides: Partial<Config> = {}): Promise<{ config: Config; store: Store }> {
  const config = { ...loadConfig(), ...overrides };
  if (!config.databaseUrl) dataLock ??= acquireDataLock(config.dataDir, command);
  const store = await openStore(config);
  await store.migrate();
  return { config, store };
}

program
  .command("serve")
  .description("Run the HTTP API (migrates the store first)")
  .option("-p, --port <port>", "TCP port (default: TIERLINE_PORT or 3000)", port)
  .option("--host <host>", "interface to bind (default: TIERLINE_HOST or 127.0.0.1)")
  .option("--demo", "seed the demo organisation when the store is empty")
  .option("--no-engine", "do not run the deadline engine in this process (run `tierline worker` elsewhere)")
  .option("--no-outbox", "do not send notifications (email, webhooks) from this process (run `tierline worker` elsewhere)")
  .action(async (opts: { port?: number; host?: string; demo?: boolean; engine: boolean; outbox: boolean }) => {
    const base = loadConfig();
    const host = opts.host ?? base.host;
    const p = opts.port ?? base.port;
    const overrides = { host, port: p, publicUrl: process.env.TIERLINE_PUBLIC_URL ?? `http://${host}:${p}` };
    let { config, store } = await open("serve", overrides);
    let seeded = false;
    if (opts.demo && (await isStoreEmpty(store))) {
      // Measured: ~20 s on a 2-core machine (60 days of history replayed through the commands); later starts ~2 s.
      console.log("Empty store: seeding the demo organisation (about 20 seconds, on the first start only)…");
      // The seed runs in a child process (`tierline seed --demo`): the embedded store grows its memory for
      // the seed's one large transaction and never gives it back, so the server opens the store afresh.
      await store.close();
      await runChild(["seed", "--demo"]);
      ({ config, store } = await open("serve", overrides));
      seeded = true;
    }
    // Without --engine here, deadlines are a worker's job: /readyz then does not ask for an engine.
    // (Only called once the server listens, after the engine below has started.)
    const engineRunning = opts.engine ? () => engine?.isRunning ?? false : undefined;
    const app = await buildApp({ store, clock: systemClock, config, logger: { level: config.logLevel }, engineRunning });
    const engine = opts.engine ? await startEngine(store, app.log) : undefined;
    const outbox = opts.outbox ? await startOutbox({ store, clock: systemClock, config, log: app.log.child({ component: "outbox" }) }) : undefined;
    const inboundMail = await startInboundMail(store, systemClock, config, app.log.child({ component: "inbound-mail" }));
    // Background upkeep goes with the outbox: a `--no-outbox` server leaves it to the workers.
    const stopSweeper = opts.outbox ? sweeperFor(store, app.log) : undefined;
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const actualPort = typeof address === "object" && address ? address.port : config.port;
    const url = config.publicUrl.replace(`:${config.port}`, `:${actualPort}`);
    // Other commands find the server here and go through its API (policy) or name it when they refuse.
    dataLock?.setUrl(url);
    console.log(`\nTierline is running at ${url}  (store: ${store.kind === "pglite" ? `embedded, ${config.dataDir}` : "PostgreSQL"})`);
    console.log(`  API docs:  ${url}/api/docs`);
    console.log(`  OpenAPI:   ${url}/api/openapi.json`);
    if (inboundMail.smtp) console.log(`  SMTP in:   ${inboundMail.smtp.host}:${inboundMail.smtp.port} (mail to the mailboxes' addresses)`);
    if (opts.demo) {
      console.log(`  Demo log-ins (password "${DEMO_PASSWORD}"${seeded ? "" : ", if the demo was seeded"}):`);
      console.log("    admin@tierline.demo (admin), ava.frontline@tierline.demo (L1 agent), lucas.lead@tierline.demo (L1 lead),");
      console.log("    bianca.billing@tierline.demo (billing), theo.tech@tierline.demo (technical), maria.manager@tierline.demo (manager),");
      console.log("    and any demo customer, e.g. the first one listed under GET /api/v1/customers.");
    }
    onShutdown(async () => {
      stopSweeper?.();
      await inboundMail.stop();
      await app.close();
      await engine?.stop();
      await outbox?.stop();
      await store.close();
    });
  });

program
  .command("worker")
  .description("Run only the background work: the deadline engine (SLA breaches, warnings, escalation chains) and the outbox dispatcher (email, webhooks); any number may run")
  .action(async () => {
    const { config, store } = await open("worker");
    const log = pino({ level: config.logLevel });
    const engine = await startEngine(store, log);
    const outbox = await startOutbox({ store, clock: systemClock, config, log: log.child({ component: "outbox" }) });
    const stopSweeper = sweeperFor(store, log);
    console.log(`Deadline engine and outbox dispatcher running (${store.kind}).`);
    onShutdown(async () => {
      stopSweeper();
      await engine.stop();
      await outbox.stop();
      await store.close();
    });
  });

/** The orphan-blob sweeper of a store, logging to `log`. */
function sweeperFor(store: Store, log: { child: (b: object) => { info: (o: object, m: string) => void; error: (o: object, m: string) => void } }) {
  return startBlobSweeper({ db: store.db, blobs: blobStoreOf(store.db), now: () => systemClock.now(), log: log.child({ component: "blob-sweeper" }) });
}

program
  .command("blobs-sweep")
  .description("Delete stored files (attachments, raw mail) that nothing refers to any more and that are over a day old; serve and worker also do it every six hours")
  .action(async () => {
    const { store } = await open("blobs-sweep");
    const result = await sweepOrphanBlobs(store.db, blobStoreOf(store.db), systemClock.now());
    console.log(`Checked ${result.checked} old files; deleted ${result.deleted} that nothing refers to, and ${result.abandonedUploads} interrupted uploads.`);
    await store.close();
  });

program
  .command("migrate")
  .description("Apply pending database migrations")
  .action(async () => {
    const { store } = await open("migrate");
    console.log(`Migrations applied (${store.kind}).`);
    await store.close();
  });

const ticketCount = (v: string) => {
  const n = Number(v.replace(/[_,]/g, ""));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a number of tickets is a whole number of at least 1");
  return n;
};

program
  .command("seed")
  .description("Fill the store with data: the demo organisation (--demo), many tickets on top of it (--volume), or both")
  .option("--demo", "the believable demo organisation with 60 days of history (into an empty store)")
  .option("--volume [tickets]", "add this many tickets (default 1,000,000) with a year of history to the organisation in the store", ticketCount)
  .action(async (opts: { demo?: boolean; volume?: number | true }) => {
    if (!opts.demo && opts.volume === undefined) {
      console.error("Say what to seed: --demo, --volume [tickets], or both.");
      process.exitCode = 1;
      return;
    }
    const { store } = await open("seed");
    try {
      if (opts.demo) {
        if (!(await isStoreEmpty(store))) {
          console.error("The store already has tickets or levels; the demo is seeded only into an empty store.");
          process.exitCode = 1;
          return;
        }
        const summary = await seedDemo(store);
        console.log(
          `Seeded ${summary.tickets} tickets (${summary.historyTickets} with 60 days of history and ${summary.showcaseTickets} just in, showing the escalation rules at work), ${summary.escalations} escalations, ${summary.customers} customers, ${summary.agents} agents. Password for every demo log-in: ${DEMO_PASSWORD}`,
        );
      }
      if (opts.volume !== undefined) await seedVolumeWithProgress(store, opts.volume === true ? 1_000_000 : opts.volume);
    } finally {
      await store.close();
    }
  });

/** Runs the volume seed with a progress bar on a terminal (a line per tenth otherwise) and prints what it added. */
async function seedVolumeWithProgress(store: Store, count: number): Promise<void> {
  const started = Date.now();
  const bar = process.stdout.isTTY
    ? new SingleBar({ format: "Tickets {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}", hideCursor: true }, Presets.shades_classic)
    : undefined;
  bar?.start(count, 0, { rate: 0 });
  let nextLine = count / 10;
  const summary = await seedVolume(store, {
    tickets: count,
    onProgress: (done) => {
      const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (bar) bar.update(done, { rate });
      else if (done >= nextLine || done === count) {
        console.log(`  ${done}/${count} tickets (${rate}/s)`);
        nextLine += count / 10;
      }
    },
  });
  bar?.stop();
  const seconds = (Date.now() - started) / 1000;
  const rows = summary.tickets + summary.customers + summary.messages + summary.events + summary.escalations + summary.clocks + summary.deadlines;
  console.log(
    `Added ${summary.tickets} tickets (#${summary.firstNumber}–#${summary.lastNumber}), ${summary.customers} customers, ${summary.messages} messages, ${summary.events} events, ${summary.escalations} escalations, ${summary.clocks} SLA clocks and ${summary.deadlines} deadlines in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s).`,
  );
}

program
  .command("create-admin")
  .description("Create an admin who can sign in (or reset an existing admin's password)")
  .requiredOption("--email <email>", "the admin's e-mail address")
  .requiredOption("--password <password>", "at least 10 characters")
  .option("--name <name>", "display name", "Administrator")
  .action(async (opts: { email: string; password: string; name: string }) => {
    const { store } = await open("create-admin");
    try {
      const result = await createAdmin({ db: store.db, clock: systemClock }, opts);
      console.log(`${result.created ? "Created" : "Updated"} admin ${result.email}.`);
    } finally {
      await store.close();
    }
  });

const policy = program.command("policy").description("The escalation policy as a YAML file (policy as code)");

/** Where a policy command goes: the API of a server (named by --url, or the one holding the embedded store), or the store. */
type PolicyRemote = { url: string; token?: string | undefined; holder?: LockHolder };
type RemoteOptions = { url?: string; token?: string };

/**
 * The server a policy command should go through, if any: the one --url names, else the running Tierline
 * that holds the embedded store (opening the store beside it would corrupt it). Undefined: use the store.
 */
function policyRemote(opts: RemoteOptions): PolicyRemote | undefined {
  const token = opts.token ?? process.env.TIERLINE_TOKEN;
  if (opts.url) return { url: opts.url.replace(/\/+$/, ""), token };
  const config = loadConfig();
  if (config.databaseUrl) return undefined;
  const holder = lockHolderOf(config.dataDir);
  if (!holder) return undefined;
  if (!holder.url) throw new DataFolderLockedError(holder, join(config.dataDir, LOCK_FILE), config.dataDir);
  return { url: holder.url, token, holder };
}

/** Sends a policy request to a server's API; a refusal prints its problem and exits 1. */
async function callPolicyApi(remote: PolicyRemote, usage: string, init: { method: string; path: string; body?: string }): Promise<Response | undefined> {
  if (!remote.token) {
    const who = remote.holder ? `${describeHolder(remote.holder)} and holds the embedded store.` : `Going through the API at ${remote.url} needs a token.`;
    console.error(`${who}\nRun \`${usage.replace("URL", remote.url)} --token …\` (or set TIERLINE_TOKEN; an admin creates one with POST /api/v1/api-tokens), or stop it first.`);
    process.exitCode = 1;
    return undefined;
  }
  const res = await fetch(`${remote.url}/api/v1${init.path}`, {
    method: init.method,
    headers: { authorization: `Bearer ${remote.token}`, ...(init.body !== undefined ? { "content-type": "application/yaml" } : {}) },
    body: init.body,
  });
  if (res.ok) return res;
  const text = await res.text();
  let detail = text;
  try {
    const problem = JSON.parse(text) as { detail?: string; title?: string; code?: string };
    detail = `${problem.detail ?? problem.title ?? text}${problem.code ? ` (${problem.code})` : ""}`;
  } catch {
    // Not problem+json: show the text as it came.
  }
  console.error(`${remote.url} answered ${res.status}: ${detail}`);
  process.exitCode = 1;
  return undefined;
}

const urlOption = "--url <url>";
const urlHelp = "go through the API of the Tierline server at this URL (default: the running server holding the embedded store, if any)";
const tokenOption = "--token <token>";
const tokenHelp = "an API token for --url (default: TIERLINE_TOKEN)";

policy
  .command("export")
  .description("Print the escalation policy in the store as YAML (through the running server's API when one holds the store)")
  .option(urlOption, urlHelp)
  .option(tokenOption, tokenHelp)
  .action(async (opts: RemoteOptions) => {
    const remote = policyRemote(opts);
    if (remote) {
      const res = await callPolicyApi(remote, "tierline policy export --url URL", { method: "GET", path: "/policy" });
      if (res) process.stdout.write(await res.text());
      return;
    }
    const { store } = await open("policy export");
    try {
      process.stdout.write(toYaml(await exportPolicy({ db: store.db, clock: systemClock, actor: SYSTEM })));
    } finally {
      await store.close();
    }
  });

policy
  .command("check <file>")
  .description("Check a policy file (no store needed); prints file:line:column: path: message per error")
  .action(async (file: string) => {
    const result = checkPolicyText(await readFile(file, "utf8"));
    if (result.ok) {
      console.log(`${file} is valid`);
      return;
    }
    for (const e of result.errors) console.error(`${file}:${e.line}:${e.column}: ${e.path}: ${e.message}`);
    process.exitCode = 1;
  });

policy
  .command("apply <file>")
  .description(
    "Make the store's policy that of a file, all or nothing; prints the changes (+ add, ~ change, - remove). " +
      "Goes through the running server's API when one holds the embedded store",
  )
  .option("--dry-run", "show what would change and write nothing")
  .option(urlOption, urlHelp)
  .option(tokenOption, tokenHelp)
  .action(async (file: string, opts: { dryRun?: boolean } & RemoteOptions) => {
    const checked = checkPolicyText(await readFile(file, "utf8"));
    if (!checked.ok) {
      for (const e of checked.errors) console.error(`${file}:${e.line}:${e.column}: ${e.path}: ${e.message}`);
      console.error("Nothing was changed.");
      process.exitCode = 1;
      return;
    }
    const remote = policyRemote(opts);
    if (remote) {
      const res = await callPolicyApi(remote, `tierline policy apply ${file}${opts.dryRun ? " --dry-run" : ""} --url URL`, {
        method: "PUT",
        path: `/policy?dryRun=${opts.dryRun === true}`,
        body: await readFile(file, "utf8"),
      });
      if (!res) {
        if (process.exitCode === 1 && remote.token) console.error("Nothing was changed.");
        return;
      }
      printApplied((await res.json()) as ApplyResult);
      return;
    }
    const { store } = await open("policy apply");
    try {
      const result = await applyPolicy({ db: store.db, clock: systemClock, actor: SYSTEM }, checked.document, { dryRun: opts.dryRun === true });
      printApplied(result);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      console.error(`${err.message}\nNothing was changed.`);
      process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

/** Prints what an apply changed (or would change). */
function printApplied(result: Pick<ApplyResult, "changes" | "dryRun" | "applied">): void {
  process.stdout.write(formatChanges(result.changes));
  if (result.dryRun) console.log("Dry run: nothing was changed.");
  else if (result.applied) console.log("Applied. Open tickets keep their SLA clocks until POST /api/v1/sla-policies/reapply.");
}

/** On SIGINT or SIGTERM: finish what is in flight, close, exit. */
function onShutdown(close: () => Promise<void>): void {
  const stop = () => void close().finally(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Runs this CLI with other arguments in a child process, passing its output through. */
function runChild(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // The child works on the store under this process's lock (it would otherwise find it held).
    const env = { ...process.env, ...dataLock?.childEnv() };
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], { stdio: "inherit", env });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`tierline ${args.join(" ")} failed (exit ${code})`))));
  });
}

/** Starts the deadline engine, logging its errors (it keeps running: a failed step is retried). */
async function startEngine(store: Store, log: { error: (obj: object, msg: string) => void }): Promise<DeadlineEngine> {
  const engine = new DeadlineEngine({ store, clock: systemClock, onError: (err) => log.error({ err }, "deadline engine step failed") });
  await engine.start();
  return engine;
}

/** Why a command cannot open the embedded store, and what to do instead. */
function lockedMessage(err: DataFolderLockedError): string {
  const command = process.argv.slice(2).join(" ");
  const viaApi = err.holder.url ? ` Use its API at ${err.holder.url} (policy commands take --url ${err.holder.url} --token …),` : "";
  return (
    `${err.message}\nOnly one process may open the embedded store at a time, so \`tierline ${command}\` did nothing.${viaApi}` +
    ` or stop it first (kill ${err.holder.pid}) and run this again.` +
    `\n(If no Tierline runs as pid ${err.holder.pid}, delete ${err.lockFile}.)`
  );
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof DataFolderLockedError) console.error(lockedMessage(err));
  else if (err instanceof Error && err.name === "AppError") console.error(`error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
