/**
 * Idle memory of the embedded server with the web app served: `tierline serve --demo` on a new PGlite folder
 * (the first start seeds the demo in a child process), the log-in page and the inbox loaded once in Chromium,
 * then the server left alone for --idle-seconds and its resident memory read; then the same for a restart on
 * the same folder. Target: under 350 MB. Prints one JSON document.
 *
 *   npm run build && npm run bench:idle -- [--idle-seconds 20]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { contextAs, launchChromium } from "./support/chromium.js";
import { freePort, serverPeakRssMb, stopServer } from "./support/server-process.js";

const { values: args } = parseArgs({ options: { "idle-seconds": { type: "string", default: "20" } } });
const IDLE_MS = Math.min(Math.max(1, Number(args["idle-seconds"])), 300) * 1000;
const TARGET_MB = 350;

for (const file of ["dist/web/index.html", "dist/cli/main.js"]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "tierline-bench-idle-"));
try {
  const first = await measure("first start (seeds the demo)");
  const restart = await measure("restart");
  console.log(JSON.stringify({ benchmark: "idle", date: new Date().toISOString(), store: "embedded", idle_seconds: IDLE_MS / 1000, target_mb: TARGET_MB, first, restart }, null, 2));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

async function measure(label: string) {
  const port = await freePort();
  const started = Date.now();
  const server = await serve(port);
  const startMs = Date.now() - started;
  try {
    const url = `http://127.0.0.1:${port}`;
    const browser = await launchChromium();
    try {
      const context = await contextAs(browser, url, null, "tierline-demo");
      const page = await context.newPage();
      await page.goto("/login");
      await page.waitForLoadState("networkidle");
      await context.close();
      const agent = await contextAs(browser, url, "ava.frontline@tierline.demo", "tierline-demo");
      const inbox = await agent.newPage();
      await inbox.goto("/inbox");
      await inbox.waitForLoadState("networkidle");
      await agent.close();
    } finally {
      await browser.close();
    }
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idle = Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1]) / 1024);
    return { label, start_s: Math.round(startMs / 100) / 10, idle_rss_mb: idle, peak_rss_mb: serverPeakRssMb(server), within_target: idle < TARGET_MB };
  } finally {
    await stopServer(server);
  }
}

/** `tierline serve --demo` (built) on the benchmark's folder, resolved once it listens. */
function serve(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // The embedded store, whatever the environment says.
    const env: NodeJS.ProcessEnv = { ...process.env, TIERLINE_DATA_DIR: dataDir, TIERLINE_LOG_LEVEL: "warn" };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ["dist/cli/main.js", "serve", "--demo", "--port", String(port)], {
      env,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Tierline is running")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}
