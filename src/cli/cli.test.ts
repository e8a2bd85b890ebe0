import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createApiToken } from "../commands/create-api-token.js";
import { logIn } from "../commands/log-in.js";
import { agents } from "../db/schema.js";
import { openStore } from "../db/store.js";
import { systemClock } from "../domain/clock.js";
import { runAdminSql } from "../test-support/postgres-admin.js";
import { postgresUrlFor, TEST_POSTGRES_ADMIN_URL } from "../test-support/stores.js";
import { testStoreKind } from "../test-support/test-store.js";

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the real `tierline` CLI from source in its own process. */
function tierline(
  args: string[],
  env: Record<string, string>,
  untilStdout?: RegExp,
): Promise<Run & { kill?: () => void; pid?: number | undefined; exited?: Promise<number | null> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      env: { ...process.env, TIERLINE_LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (untilStdout?.test(stdout)) resolve({ code: null, stdout, stderr, kill: () => child.kill("SIGTERM"), pid: child.pid, exited });
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the tierline CLI", () => {
  // Each run gets its own empty store: a PGlite folder or a new PostgreSQL database.
  const env: Record<string, string> = {};
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (testStoreKind() === "postgres") {
      const name = `tierline_cli_${randomBytes(4).toString("hex")}`;
      await runAdminSql(TEST_POSTGRES_ADMIN_URL, `create database ${name}`);
      env.DATABASE_URL = postgresUrlFor(name);
      dropDatabase = () => runAdminSql(TEST_POSTGRES_ADMIN_URL, `drop database if exists ${name} with (force)`);
    } else {
      env.TIERLINE_DATA_DIR = mkdtempSync(join(tmpdir(), "tierline-cli-"));
    }
  });
  afterAll(async () => {
    await dropDatabase?.();
    if (env.TIERLINE_DATA_DIR) rmSync(env.TIERLINE_DATA_DIR, { recursive: true, force: true });
  });

  it("migrates an empty store", async () => {
    const run = await tierline(["migrate"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Migrations applied/);
  });

  it("creates an admin who can sign in, and resets the password when run again", async () => {
    const first = await tierline(["create-admin", "--email", "Root@Example.test", "--password", "first password 1"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Created admin root@example.test/);
    const second = await tierline(["create-admin", "--email", "root@example.test", "--password", "second password 2"], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Updated admin/);

    const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
    try {
      const ctx = { db: store.db, clock: systemClock };
      const { user } = await logIn(ctx, { email: "root@example.test", password: "second password 2" }, 1);
      expect(user).toMatchObject({ kind: "agent", role: "admin", email: "root@example.test" });
      await expect(logIn(ctx, { email: "root@example.test", password: "first password 1" }, 1)).rejects.toMatchObject({ code: "invalid_credentials" });
    } finally {
      await store.close();
    }
  });

  it("refuses a short password with a clear message", async () => {
    const run = await tierline(["create-admin", "--email", "x@example.test", "--password", "short"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/password.*at least 10 characters/);
  });

  it("stops at start-up on a bad configuration, naming the variable", async () => {
    const run = await tierline(["migrate"], { ...env, TIERLINE_PORT: "eighty" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/TIERLINE_PORT/);
  });

  it("applies a policy file: a dry run first, then for real, and a bad file changes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierline-policy-"));
    try {
      const file = join(dir, "policy.yaml");
      writeFileSync(file, "version: 1\nlevels:\n  - {name: L1, rank: 1}\n  - {name: L2, rank: 2}\nteams:\n  - {name: Frontline, level: L1, kind: frontline}\n");
      const dry = await tierline(["policy", "apply", file, "--dry-run"], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toBe("levels:\n  + L1\n  + L2\nteams:\n  + Frontline\n3 to add, 0 to change, 0 to remove.\nDry run: nothing was changed.\n");
      const applied = await tierline(["policy", "apply", file], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/3 to add, 0 to change, 0 to remove\.\nApplied\./);
      const again = await tierline(["policy", "apply", file], env);
      expect(again.stdout).toMatch(/^No changes/);

      writeFileSync(file, "version: 1\nlevels:\n  - {name: L1, rank: 1}\nteams:\n  - {name: Frontline, level: L9, kind: frontline}\n");
      const bad = await tierline(["policy", "apply", file], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toBe(`${file}:5:30: teams[0].level: no level named "L9" in levels\nNothing was changed.\n`);
      const exported = await tierline(["policy", "export"], env);
      expect(exported.stdout).toContain("name: L2");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("serves the API and stops on SIGTERM", async () => {
    const run = await tierline(["serve", "--port", "0"], env, /Tierline is running at (\S+)/);
    expect(run.kill, run.stderr).toBeDefined();
    try {
      const url = /Tierline is running at (\S+)/.exec(run.stdout)![1]!;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", store: testStoreKind() });
    } finally {
      run.kill!();
    }
  });
});

describe.skipIf(testStoreKind() !== "pglite")("the embedded store's lock", () => {
  let dataDir: string;
  let env: Record<string, string>;
  const lockFile = () => join(dataDir, "tierline.lock");
  const policyFile = () => join(dataDir, "..", `${dataDir.split("/").at(-1)}-policy.yaml`);
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "tierline-lock-"));
    env = { TIERLINE_DATA_DIR: dataDir };
    writeFileSync(policyFile(), "version: 1\nlevels:\n  - {name: L1, rank: 1}\n  - {name: L2, rank: 2}\nteams:\n  - {name: Frontline, level: L1, kind: frontline}\n");
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    rmSync(policyFile(), { force: true });
  });

  it("refuses other commands while serve runs, naming it, and takes policy apply and export through its API", async () => {
    const admin = await tierline(["create-admin", "--email", "lock@example.test", "--password", "lock password 1"], env);
    expect(admin.code, admin.stderr).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
    const store = await openStore({ dataDir });
    let token: string;
    try {
      const [row] = await store.db.select({ id: agents.id }).from(agents).where(eq(agents.email, "lock@example.test"));
      ({ token } = await createApiToken({ db: store.db, clock: systemClock, actor: { kind: "agent", id: row!.id, role: "admin", teamIds: [] } }, { name: "cli" }));
    } finally {
      await store.close();
    }

    const server = await tierline(["serve", "--port", "0"], env, /Tierline is running at (\S+)/);
    expect(server.kill, server.stderr).toBeDefined();
    try {
      const url = /Tierline is running at (\S+)/.exec(server.stdout)![1]!;
      expect(JSON.parse(readFileSync(lockFile(), "utf8"))).toMatchObject({ pid: server.pid, command: "serve", url });
      const named = `Tierline is running as pid ${server.pid} at ${url}`;

      const [migrate, seed, createAdmin, noToken] = await Promise.all([
        tierline(["migrate"], env),
        tierline(["seed", "--demo"], env),
        tierline(["create-admin", "--email", "other@example.test", "--password", "other password 1"], env),
        tierline(["policy", "apply", policyFile()], env),
      ]);
      for (const refused of [migrate, seed, createAdmin]) {
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(named);
        expect(refused.stderr).toMatch(/stop it first/);
        expect(refused.stderr).not.toMatch(/Aborted/);
      }
      expect(migrate.stdout).toBe("");
      expect(noToken.code).toBe(1);
      expect(noToken.stderr).toContain(named);
      expect(noToken.stderr).toContain(`\`tierline policy apply ${policyFile()} --url ${url} --token …\``);

      const dry = await tierline(["policy", "apply", policyFile(), "--dry-run", "--token", token], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toBe("levels:\n  + L1\n  + L2\nteams:\n  + Frontline\n3 to add, 0 to change, 0 to remove.\nDry run: nothing was changed.\n");
      const applied = await tierline(["policy", "apply", policyFile(), "--token", token], env);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/3 to add, 0 to change, 0 to remove\.\nApplied\./);
      const exported = await tierline(["policy", "export"], { ...env, TIERLINE_TOKEN: token });
      expect(exported.code, exported.stderr).toBe(0);
      expect(exported.stdout).toContain("name: L2");
      const badToken = await tierline(["policy", "export", "--token", "tl_pat_wrong"], env);
      expect(badToken.code).toBe(1);
      expect(badToken.stderr).toMatch(/answered 401/);

      // The server is unharmed and its store holds what was applied through it.
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const levels = await fetch(`${url}/api/v1/levels`, { headers: { authorization: `Bearer ${token}` } });
      expect(JSON.stringify(await levels.json())).toContain('"L2"');
    } finally {
      server.kill!();
      await server.exited;
    }
    // SIGTERM released the lock: the store opens again.
    expect(existsSync(lockFile())).toBe(false);
    const again = await tierline(["policy", "export"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("name: Frontline");
  }, 300_000);

  it("takes over a stale lock whose process no longer runs, and releases it on exit", async () => {
    const gone = spawn(process.execPath, ["-e", ""]);
    const pid = gone.pid!;
    await new Promise((done) => gone.on("exit", done));
    writeFileSync(lockFile(), JSON.stringify({ pid, command: "serve", url: "http://127.0.0.1:9", startedAt: new Date().toISOString(), token: "stale" }));
    const run = await tierline(["migrate"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Migrations applied/);
    expect(existsSync(lockFile())).toBe(false);
  }, 120_000);
});
