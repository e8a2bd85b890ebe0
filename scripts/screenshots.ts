/**
 * Screenshots of the main screens for the docs: `tierline serve --demo` on a fresh embedded store (a temp
 * folder), each screen at 1280×800 and 390×844, written to docs/screenshots/<name>-desktop.png and
 * <name>-phone.png. A screen that fails is reported and the others still taken; the exit code says
 * whether all succeeded.
 *
 *   npm run build && npm run screenshots [-- --only inbox,board] [--out docs/screenshots]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Browser, Page } from "playwright-core";
import { adminToken, apiClient, contextAs, launchChromium } from "../bench/support/chromium.js";
import { freePort, stopServer } from "../bench/support/server-process.js";

const { values: args } = parseArgs({ options: { only: { type: "string" }, out: { type: "string", default: "docs/screenshots" } } });
const OUT = resolve(args.out!);
const PASSWORD = "tierline-demo";
const VIEWPORTS = [
  { suffix: "desktop", width: 1280, height: 800 },
  { suffix: "phone", width: 390, height: 844 },
] as const;

type Api = ReturnType<typeof apiClient>;
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
/** One screen: who looks at it, where, and what to do before the picture (open a dialog). */
type Screen = { name: string; as: string | null; path: (f: Facts) => string; before?: (page: Page) => Promise<void> };
/** What the screens need from the demo data, found through the API once. */
type Facts = { escalatedTicket: number; escalatableTicket: number; customerEmail: string; customerTicket: number };

const SCREENS: Screen[] = [
  { name: "login", as: null, path: () => "/login" },
  { name: "inbox", as: "ava.frontline@tierline.demo", path: () => "/inbox" },
  { name: "ticket", as: "admin@tierline.demo", path: (f) => `/tickets/${f.escalatedTicket}` },
  {
    name: "escalate-dialog",
    as: "ava.frontline@tierline.demo",
    path: (f) => `/tickets/${f.escalatableTicket}`,
    before: async (page) => {
      await page.getByRole("button", { name: "Escalate" }).first().click();
      await page.getByRole("dialog").waitFor();
    },
  },
  { name: "board", as: "lucas.lead@tierline.demo", path: () => "/board" },
  { name: "approvals", as: "maria.manager@tierline.demo", path: () => "/approvals" },
  { name: "admin", as: "admin@tierline.demo", path: () => "/admin" },
  { name: "admin-flowchart", as: "admin@tierline.demo", path: () => "/admin/flowchart" },
  { name: "admin-policy", as: "admin@tierline.demo", path: () => "/admin/policy" },
  { name: "portal", as: "customer", path: () => "/portal" },
  { name: "portal-ticket", as: "customer", path: (f) => `/portal/tickets/${f.customerTicket}` },
];

for (const file of ["dist/web/index.html", "dist/cli/main.js"]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const only = args.only ? new Set(args.only.split(",")) : null;
const screens = SCREENS.filter((s) => !only || only.has(s.name));
mkdirSync(OUT, { recursive: true });

const dataDir = mkdtempSync(join(tmpdir(), "tierline-screenshots-"));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
console.log("Starting tierline serve --demo on a fresh embedded store (the first start seeds the demo)…");
const server = await serve(port);
const failures: string[] = [];
let browser: Browser | undefined;
try {
  const api = apiClient(baseUrl, await adminToken(baseUrl, "admin@tierline.demo", PASSWORD, "screenshots"));
  const facts = await findFacts(api);
  browser = await launchChromium();
  for (const screen of screens) {
    for (const v of VIEWPORTS) {
      const file = join(OUT, `${screen.name}-${v.suffix}.png`);
      try {
        const who = screen.as === "customer" ? facts.customerEmail : screen.as;
        const context = await contextAs(browser, baseUrl, who, PASSWORD, { width: v.width, height: v.height });
        context.setDefaultTimeout(15_000); // a missing button fails its screen, not the run
        try {
          const page = await context.newPage();
          await page.goto(screen.path(facts));
          await page.waitForLoadState("networkidle");
          await screen.before?.(page);
          // Let transitions, fonts and the queries behind side panels settle.
          await page.waitForTimeout(1500);
          await page.screenshot({ path: file });
          console.log(`  ${file}`);
        } finally {
          await context.close();
        }
      } catch (err) {
        const why = err instanceof Error ? err.message.split("\n")[0] : String(err);
        failures.push(`${screen.name}-${v.suffix}: ${why}`);
        console.error(`  FAILED ${screen.name}-${v.suffix}: ${why}`);
      }
    }
  }
} catch (err) {
  failures.push(`setup: ${err instanceof Error ? err.message : String(err)}`);
  console.error(err);
} finally {
  await browser?.close().catch(() => undefined);
  await stopServer(server);
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(failures.length === 0 ? `All ${screens.length * VIEWPORTS.length} screenshots taken.` : `${failures.length} screenshot(s) failed:\n  ${failures.join("\n  ")}`);
process.exitCode = failures.length === 0 ? 0 : 1;

/** The demo tickets and customer the screens show, found as the admin sees them. */
async function findFacts(api: Api): Promise<Facts> {
  const open: Json[] = [];
  for (const status of ["open", "new", "pending", "on_hold"]) open.push(...(await api("GET", `/tickets?status=${status}&limit=200`)).data);
  let escalatedTicket: number | null = null;
  let escalatableTicket: number | null = null;
  const levels: Json[] = (await api("GET", "/levels")).data ?? [];
  const lowest = [...levels].sort((a, b) => a.rank - b.rank)[0]?.id;
  for (const t of open) {
    if (escalatedTicket !== null && escalatableTicket !== null) break;
    const escalations: Json[] = (await api("GET", `/tickets/${t.id}/escalations`)).data ?? [];
    const active = escalations.some((e) => e.status !== "closed");
    if (escalatedTicket === null && active) {
      const clocks: Json[] = (await api("GET", `/tickets/${t.id}/clocks`)).data ?? [];
      if (clocks.length > 0) escalatedTicket = t.number;
    }
    if (escalatableTicket === null && !active && t.levelId === lowest && t.status === "open") escalatableTicket = t.number;
  }
  if (escalatedTicket === null || escalatableTicket === null) throw new Error("the demo has no open escalated ticket with clocks, or no open L1 ticket");
  // A demo customer with a ticket of their own (every demo log-in has the demo password).
  const customers: Json[] = (await api("GET", "/customers?limit=200")).data;
  for (const c of customers) {
    const theirs: Json[] = (await api("GET", `/tickets?customerId=${c.id}&limit=1`)).data;
    if (theirs.length > 0) return { escalatedTicket, escalatableTicket, customerEmail: c.email, customerTicket: theirs[0].number };
  }
  throw new Error("no demo customer with a ticket");
}

/** `tierline serve --demo` (built) on the script's own folder, resolved once it listens. */
function serve(port: number): Promise<ChildProcess> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, TIERLINE_DATA_DIR: dataDir, TIERLINE_LOG_LEVEL: "warn" };
    delete env.DATABASE_URL; // the embedded store, whatever the environment says
    const child = spawn(process.execPath, ["dist/cli/main.js", "serve", "--demo", "--port", String(port)], { env, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Tierline is running")) resolvePromise(child);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}
