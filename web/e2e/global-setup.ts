import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { fileURLToPath } from "node:url";
import { postgresUrlFor, TEST_POSTGRES_ADMIN_URL } from "../../src/test-support/stores";
import { runAdminSql } from "../../src/test-support/postgres-admin";
import { startSmtpSink } from "../../src/test-support/smtp-sink";

declare module "vitest" {
  export interface ProvidedContext {
    /** The seeded Tierline server the browser tests share, e.g. http://127.0.0.1:41234. */
    webUrl: string;
    /** Where every mail the server sent is written, one `<n>.json` ({to, subject, text, html}) each. */
    mailDir: string;
    /** An admin's API token on that server, for tests that arrange data through the API. */
    adminToken: string;
  }
}

/**
 * One real Tierline for the browser tests: `tierline serve --demo` on a fresh PostgreSQL database (the demo
 * organisation seeded as a new user gets it), its mail sent over SMTP to a sink on loopback that writes
 * each message to a folder the tests read (magic links). The built app must exist: `npm test` builds it.
 */
/** What `npm run build:web` writes (the server serves it from there). */
const WEB_DIR = fileURLToPath(new URL("../../dist/web", import.meta.url));

export default async function setup(project: TestProject) {
  if (!existsSync(join(WEB_DIR, "index.html"))) throw new Error(`The web app is not built (${WEB_DIR}): run \`npm run build:web\` first (npm test does).`);
  const database = `tierline_e2e_${process.pid}_${Date.now()}`;
  await runAdminSql(TEST_POSTGRES_ADMIN_URL, `create database ${database}`);
  const mailDir = await mkdtemp(join(tmpdir(), "tierline-e2e-mail-"));
  let n = 0;
  const sink = await startSmtpSink();
  const origPush = sink.received.push.bind(sink.received);
  sink.received.push = (...mails) => {
    for (const m of mails) {
      n += 1;
      void writeFile(
        join(mailDir, `${String(n).padStart(5, "0")}.json`),
        JSON.stringify({ to: m.envelopeTo, subject: m.parsed.subject, text: m.parsed.text, html: m.parsed.html || "" }),
      );
    }
    return origPush(...mails);
  };
  const dataDir = await mkdtemp(join(tmpdir(), "tierline-e2e-data-"));
  await mkdir(dataDir, { recursive: true });
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--demo", "--port", "0"], {
    env: {
      ...process.env,
      DATABASE_URL: postgresUrlFor(database),
      TIERLINE_DATA_DIR: dataDir,
      TIERLINE_SMTP_URL: sink.url,
      TIERLINE_LOG_LEVEL: "warn",
      TIERLINE_DELIVERY_RETRY_SECONDS: "1",
      // Every browser signs in from 127.0.0.1: the per-address log-in limit is for the open internet.
      TIERLINE_LOGIN_RATE_LIMIT: "10000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start in 300 s:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Tierline is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => reject(new Error(`The server exited (${code}) before it listened:\n${output}`)));
  });
  child.stdout!.on("data", () => undefined);
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "admin@tierline.demo", password: "tierline-demo" }),
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const token = await fetch(`${url}/api/v1/api-tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ name: "browser tests" }),
  });
  const { token: adminToken } = (await token.json()) as { token: string };
  project.provide("webUrl", url);
  project.provide("mailDir", mailDir);
  project.provide("adminToken", adminToken);
  return async () => {
    child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1500));
    child.kill("SIGKILL");
    await sink.close();
    await runAdminSql(TEST_POSTGRES_ADMIN_URL, `drop database if exists ${database} with (force)`);
    await rm(dataDir, { recursive: true, force: true });
    await rm(mailDir, { recursive: true, force: true });
  };
}
