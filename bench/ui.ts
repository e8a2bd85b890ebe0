/**
 * UI benchmark: the built web app served by `tierline serve` on PostgreSQL holding the demo organisation and
 * many tickets (1,000,000 by default), driven in Chromium. Prints one JSON document:
 *  (a) JavaScript sent for the log-in page and for the inbox (encoded bytes of the script responses, from the browser's network);
 *  (b) time from navigation to the first ticket row of the inbox table "Tickets" (median, p90);
 *  (c) a ticket with 500 events: time from navigation until its heading, its composer and its last event are there;
 *  (d) breach to board: 50 tickets under a dedicated SLA policy with short targets, watched on /board by a lead, the time
 *      from each due instant to `#<number>` appearing in the "Breaches today" tile (p50, p99, max);
 *  (e) the server's resident memory: peak, and idle after the runs.
 *
 *   npm run build && npm run bench:ui -- [--tickets 1000000] [--runs 10] [--breaches 50] [--postgres-url postgres://…]
 *
 * The database `tierline_bench_ui_<tickets>` is created and seeded (`tierline seed --demo --volume <tickets>`)
 * once and reused by later runs; each run adds its own few tickets (a 500-event ticket, the breach tickets, left
 * resolved) and retires the SLA policy it made. Bounded: it stops by itself after --max-minutes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { runAdminSql } from "../src/test-support/postgres-admin.js";
import { freePort, serverPeakRssMb, startServer, stopServer } from "./support/server-process.js";
import { adminToken, apiClient, contextAs, launchChromium } from "./support/chromium.js";
import { breachProbe, firstRowProbe, ticketReadyProbe } from "./support/page-probes.js";

const { values: args } = parseArgs({
  options: {
    tickets: { type: "string", default: "1000000" },
    runs: { type: "string", default: "10" },
    breaches: { type: "string", default: "50" },
    events: { type: "string", default: "500" },
    "max-minutes": { type: "string", default: "30" },
    "postgres-url": { type: "string", default: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const TICKETS = Number(args.tickets);
const RUNS = Math.min(Math.max(1, Number(args.runs)), 50);
const BREACHES = Math.min(Math.max(1, Number(args.breaches)), 200);
const EVENTS = Math.min(Math.max(10, Number(args.events)), 5000);
const PASSWORD = "tierline-demo";
const ADMIN = "admin@tierline.demo";
const AGENT = "ava.frontline@tierline.demo";
const LEAD = "lucas.lead@tierline.demo";
const BUDGET = { inboxJsKb: 250, firstRowMs: 1000, ticketMs: 500, breachMs: 1000, idleRssMb: 350 };

if (!Number.isInteger(TICKETS) || TICKETS < 1) throw new Error("--tickets takes a whole number of at least 1");
for (const file of ["dist/web/index.html", "dist/cli/main.js"]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` first (the benchmark measures the built server and app).`);
    process.exit(1);
  }
}

const result: Record<string, unknown> = { benchmark: "ui", date: new Date().toISOString(), tickets_seeded: TICKETS, budgets: BUDGET, notes: [] as string[] };
const notes = result.notes as string[];

const deadline = setTimeout(() => {
  notes.push(`stopped after --max-minutes ${args["max-minutes"]}: the figures so far`);
  console.log(JSON.stringify(result, null, 2));
  process.exit(1);
}, Number(args["max-minutes"]) * 60_000);
deadline.unref();


/** The benchmark database: reused when it holds the demo and the tickets asked for, else made and seeded afresh. */
async function preparedDatabase(): Promise<string> {
  const adminUrl = args["postgres-url"]!;
  const name = `tierline_bench_ui_${TICKETS}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (await isSeeded(url.toString())) {
    notes.push(`reused database ${name}`);
    return url.toString();
  }
  console.error(`Seeding ${name}: the demo and ${TICKETS} tickets (once; later runs reuse it)…`);
  await runAdminSql(adminUrl, `drop database if exists ${name} with (force)`);
  await runAdminSql(adminUrl, `create database ${name}`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["dist/cli/main.js", "seed", "--demo", "--volume", String(TICKETS)], {
      env: { ...process.env, DATABASE_URL: url.toString() },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed (exit ${code})`))));
  });
  notes.push(`seeded database ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
  return url.toString();
}

/** Whether a database exists with the demo admin and at least the tickets asked for (an interrupted seed has fewer). */
async function isSeeded(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return false;
  }
  try {
    const { rows } = await client.query<{ tickets: number; admin: boolean }>(
      `select (select count(*)::int from tickets) as tickets, exists(select 1 from agents where email = $1) as admin`,
      [ADMIN],
    );
    return rows[0]!.admin && rows[0]!.tickets >= TICKETS;
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

/** Samples the server's VmRSS every 250 ms. */
function sampleRss(pid: number) {
  const read = (): number | null => {
    try {
      return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readStatus(pid))?.[1]) / 1024);
    } catch {
      return null;
    }
  };
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, read() ?? 0)), 250);
  return { current: read, peak: () => peak, stop: () => clearInterval(timer) };
}

function readStatus(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, "utf8");
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : null);
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return { n: values.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? null) };
};

/**
 * The scripts a page load fetched: their encoded bytes as the browser received them (Chromium asks for
 * brotli), and the same files fetched again with `Accept-Encoding: gzip` (the budget is in gzip KB), in KB.
 */
async function scriptsOf(page: Page, baseUrl: string, load: () => Promise<void>, ready: () => Promise<void>): Promise<{ kb: number; gzipKb: number; files: number; encodings: string[] }> {
  const sizes: Promise<{ url: string; bytes: number; encoding: string }>[] = [];
  page.on("requestfinished", (req) => {
    if (req.resourceType() !== "script") return;
    sizes.push(
      (async () => {
        const [s, res] = await Promise.all([req.sizes(), req.response()]);
        return { url: req.url(), bytes: s.responseBodySize, encoding: (await res?.headerValue("content-encoding")) ?? "identity" };
      })(),
    );
  });
  await load();
  // The route's chunks are imported once the main bundle has run, which on a busy machine can be later than
  // a network-idle pause after `load`: wait for the screen itself first.
  await ready();
  await page.waitForLoadState("networkidle");
  const all = await Promise.all(sizes);
  let gzip = 0;
  for (const { url } of all) {
    if (!url.startsWith(baseUrl)) continue;
    const res = await fetch(url, { headers: { "accept-encoding": "gzip" } });
    // fetch decodes the body; the wire size is the Content-Length of the gzip response.
    const length = Number(res.headers.get("content-length"));
    gzip += Number.isFinite(length) && length > 0 && res.headers.get("content-encoding") === "gzip" ? length : (await res.arrayBuffer()).byteLength;
    if (!res.bodyUsed) await res.body?.cancel();
  }
  const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
  return { kb: kb(all.reduce((s, x) => s + x.bytes, 0)), gzipKb: kb(gzip), files: all.length, encodings: [...new Set(all.map((x) => x.encoding))] };
}

/** (a) A cold load (new context, empty cache) of /login signed out, and of /inbox signed in. */
async function measureJavaScript(browser: Browser, baseUrl: string) {
  const out = await contextAs(browser, baseUrl, null, PASSWORD);
  const loginPage = await out.newPage();
  const login = await scriptsOf(
    loginPage,
    baseUrl,
    async () => void (await loginPage.goto("/login")),
    () => loginPage.getByRole("button", { name: "Log in" }).waitFor({ timeout: 20_000 }),
  );
  await out.close();
  const inContext = await contextAs(browser, baseUrl, AGENT, PASSWORD);
  const inboxPage = await inContext.newPage();
  const inbox = await scriptsOf(
    inboxPage,
    baseUrl,
    async () => void (await inboxPage.goto("/inbox")),
    // The ticket table, or (until the inbox screen is merged) the page's heading.
    () => inboxPage.getByRole("table", { name: "Tickets" }).or(inboxPage.getByRole("heading", { level: 1 })).first().waitFor({ timeout: 20_000 }),
  );
  await inContext.close();
  return {
    login_gzip_kb: login.gzipKb,
    inbox_gzip_kb: inbox.gzipKb,
    login_received_kb: login.kb,
    inbox_received_kb: inbox.kb,
    received_encodings: [...new Set([...login.encodings, ...inbox.encodings])],
    login_files: login.files,
    inbox_files: inbox.files,
    inbox_within_budget: inbox.gzipKb <= BUDGET.inboxJsKb,
  };
}

/** (b) Navigations to /inbox in one signed-in tab: the time from navigation start to the first ticket row. */
async function measureInbox(browser: Browser, baseUrl: string) {
  const context = await contextAs(browser, baseUrl, AGENT, PASSWORD);
  await context.addInitScript({
    content: firstRowProbe(),
  });
  const page = await context.newPage();
  const times: number[] = [];
  let cold: number | null = null;
  try {
    for (let i = 0; i <= RUNS; i++) {
      await page.goto("about:blank");
      await page.goto("/inbox", { waitUntil: "commit" });
      // The row as a person finds it (table "Tickets", a row with a ticket link), then the time the page noted.
      await page.getByRole("table", { name: "Tickets" }).getByRole("row").filter({ has: page.getByRole("link", { name: /^#\d+ / }) }).first().waitFor({ timeout: 20_000 });
      const ms = await page.evaluate(() => (globalThis as unknown as { __benchFirstRow?: number }).__benchFirstRow ?? null);
      if (ms === null) throw new Error("the row was found but the page did not note it");
      if (i === 0) cold = Math.round(ms);
      else times.push(ms);
    }
  } catch (err) {
    notes.push(`inbox: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} (no inbox table "Tickets" with ticket rows yet?)`);
  } finally {
    await context.close();
  }
  const s = stats(times);
  return { navigations: times.length, cold_cache_ms: cold, median_ms: s.p50, p90_ms: s.p90, within_budget: s.p90 !== null && s.p90 <= BUDGET.firstRowMs };
}

/** (c) A ticket with EVENTS timeline events (messages, mostly internal notes so no customer mail), opened several times. */
async function measureTicket(browser: Browser, baseUrl: string, api: ReturnType<typeof apiClient>) {
  const stamp = Date.now().toString(36);
  const ticket = await api("POST", "/tickets", {
    subject: `Bench timeline ${stamp}: many updates on one case`,
    description: "A long-running case with a long timeline, made by the UI benchmark.",
    channel: "email",
    priority: "normal",
    customer: { email: "bench-ui@bench.example", name: "Bench Customer" },
  });
  const marker = `Bench last event ${stamp}`;
  let events = await countEvents(api, ticket.id);
  for (let i = 0; events < EVENTS; i++) {
    const last = events === EVENTS - 1;
    await api("POST", `/tickets/${ticket.id}/messages`, {
      body: last ? marker : `Update ${i + 1}: checked the logs again; nothing new since the last note. (${stamp})`,
      kind: last || i % 25 === 24 ? "public" : "internal",
    });
    // A public reply may add more than one event (a status change); count again now and then.
    events = i % 25 === 24 || events >= EVENTS - 30 ? await countEvents(api, ticket.id) : events + 1;
  }
  const context = await contextAs(browser, baseUrl, AGENT, PASSWORD);
  await context.addInitScript({
    content: ticketReadyProbe(ticket.number, marker),
  });
  const page = await context.newPage();
  const times: number[] = [];
  try {
    for (let i = 0; i <= Math.min(RUNS, 10); i++) {
      await page.goto("about:blank");
      await page.goto(`/tickets/${ticket.number}`, { waitUntil: "commit" });
      await page.waitForFunction(() => (globalThis as unknown as { __benchReady?: number }).__benchReady, undefined, { timeout: 20_000 });
      // What a person sees: the heading, a composer with a name, the last event.
      await page.getByRole("heading", { level: 1, name: new RegExp(`^#${ticket.number} `) }).waitFor({ timeout: 2000 });
      await page.getByRole("textbox", { name: /reply|message|note|comment|write/i }).first().waitFor({ timeout: 2000 });
      await page.getByText(marker).first().waitFor({ state: "attached", timeout: 2000 });
      const ms = await page.evaluate(() => (globalThis as unknown as { __benchReady: number }).__benchReady);
      if (i > 0) times.push(ms); // the first opening fills the cache
    }
  } catch (err) {
    notes.push(`ticket: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} (no ticket page with heading, composer and timeline yet?)`);
  } finally {
    await context.close();
    await api("PATCH", `/tickets/${ticket.id}`, { status: "closed" }).catch(() => undefined);
  }
  const s = stats(times);
  return { ticket_number: ticket.number, events, navigations: times.length, median_ms: s.p50, p90_ms: s.p90, within_budget: s.p90 !== null && s.p90 <= BUDGET.ticketMs };
}

async function countEvents(api: ReturnType<typeof apiClient>, ticketId: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page: { data: unknown[]; nextCursor: string | null } = await api("GET", `/tickets/${ticketId}/events?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    n += page.data.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

const POLICY_PREFIX = "bench-ui breaches";

/** Retires SLA policies a previous, interrupted run left active. */
async function retireLeftoverPolicies(api: ReturnType<typeof apiClient>) {
  const policies: { data?: { id: string; name: string; active: boolean }[] } | { id: string; name: string; active: boolean }[] = await api("GET", "/sla-policies?limit=200");
  const list = Array.isArray(policies) ? policies : (policies.data ?? []);
  for (const p of list) if (p.name.startsWith(POLICY_PREFIX) && p.active) await api("DELETE", `/sla-policies/${p.id}`);
}

/** (d) BREACHES tickets whose first response falls due at known instants, watched on the board by a lead. */
async function measureBreaches(browser: Browser, baseUrl: string, api: ReturnType<typeof apiClient>) {
  const stamp = Date.now().toString(36);
  const category = `bench-breach-${stamp}`;
  const targetS = 40;
  const every = `PT${targetS}S`;
  const policy = await api("POST", "/sla-policies", {
    name: `${POLICY_PREFIX} ${stamp}`,
    position: 0,
    conditions: { categories: [category] },
    calendarId: null,
    targets: { first_response: { low: every, normal: every, high: every, urgent: every } },
  });
  const context = await contextAs(browser, baseUrl, LEAD, PASSWORD);
  await context.addInitScript({
    content: breachProbe("Breaches today"),
  });
  const page = await context.newPage();
  const created: { id: string; number: number; dueAt: number }[] = [];
  try {
    await page.goto("/board");
    await page.waitForLoadState("networkidle");
    const hasTile = await page.getByRole("region", { name: "Breaches today" }).count();
    if (hasTile === 0) notes.push("board: no region \"Breaches today\" on /board (placeholder screen?); breach latencies are not measured");
    // Due instants spread over ~10 s: one ticket every 200 ms.
    for (let i = 0; i < BREACHES; i++) {
      const t = await api("POST", "/tickets", {
        subject: `Bench breach ${i + 1} (${stamp})`,
        description: "Made by the UI benchmark to breach its first response at a known instant.",
        channel: "web",
        priority: (["low", "normal", "high", "urgent"] as const)[i % 4],
        category,
        customer: { email: "bench-ui@bench.example", name: "Bench Customer" },
      });
      created.push({ id: t.id, number: t.number, dueAt: 0 });
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const c of created) {
      const clocks: { data?: { metric: string; dueAt: string | null }[] } | { metric: string; dueAt: string | null }[] = await api("GET", `/tickets/${c.id}/clocks`);
      const list = Array.isArray(clocks) ? clocks : (clocks.data ?? []);
      const due = list.find((k) => k.metric === "first_response")?.dueAt;
      if (!due) throw new Error(`ticket #${c.number} has no first-response clock: the bench policy did not match`);
      c.dueAt = Date.parse(due);
    }
    const lastDue = Math.max(...created.map((c) => c.dueAt));
    // Wait until every one has shown, or 30 s after the last due time.
    const seen: Record<string, number> = {};
    while (Date.now() < lastDue + 30_000) {
      Object.assign(seen, await page.evaluate(() => (globalThis as unknown as { __benchSeen: Record<string, number> }).__benchSeen));
      if (created.every((c) => String(c.number) in seen)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const late = created.filter((c) => String(c.number) in seen).map((c) => seen[String(c.number)]! - c.dueAt);
    const s = stats(late);
    return {
      tickets: created.length,
      target_s: targetS,
      seen: late.length,
      p50_ms: s.p50,
      p99_ms: s.p99,
      max_ms: s.max,
      shown_before_due: late.filter((ms) => ms < 0).length,
      within_budget: late.length === created.length && s.max !== null && s.max <= BUDGET.breachMs,
    };
  } finally {
    await context.close();
    await api("DELETE", `/sla-policies/${policy.id}`).catch((err: Error) => notes.push(`could not retire the bench policy: ${err.message}`));
    for (const c of created) await api("PATCH", `/tickets/${c.id}`, { status: "resolved" }).catch(() => undefined);
  }
}

// The run, after every declaration above (top-level consts are not hoisted).
const databaseUrl = await preparedDatabase();
const dataDir = mkdtempSync(join(tmpdir(), "tierline-bench-ui-"));
const port = await freePort();
const server = await startServer(
  { DATABASE_URL: databaseUrl, TIERLINE_DATA_DIR: dataDir, TIERLINE_PORT: String(port), TIERLINE_LOG_LEVEL: "warn" },
  { built: true },
);
const rss = sampleRss(server.pid!);
const baseUrl = `http://127.0.0.1:${port}`;
let browser: Browser | undefined;
try {
  const api = apiClient(baseUrl, await adminToken(baseUrl, ADMIN, PASSWORD, "bench ui"));
  await retireLeftoverPolicies(api);
  browser = await launchChromium();
  result.javascript = await measureJavaScript(browser, baseUrl);
  result.inbox_first_row = await measureInbox(browser, baseUrl);
  result.ticket_with_events = await measureTicket(browser, baseUrl, api);
  result.breach_to_board = await measureBreaches(browser, baseUrl, api);
  await browser.close();
  browser = undefined;
  // Idle: no browser, no requests; the engine and outbox keep running as in production.
  await new Promise((r) => setTimeout(r, 15_000));
  result.server_rss_mb = { idle: rss.current(), peak: serverPeakRssMb(server), sampled_peak: rss.peak() };
} catch (err) {
  notes.push(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  rss.stop();
  await browser?.close().catch(() => undefined);
  await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(result, null, 2));
