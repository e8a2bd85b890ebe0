import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { FakeClock } from "../domain/clock.js";
import { startHarness } from "../test-support/harness.js";
import { buildApp } from "./app.js";

describe("GET /readyz", async () => {
  const h = await startHarness();
  const config = loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40) });
  const appWith = async (engineRunning: (() => boolean) | undefined) => {
    const app = await buildApp({ store: h.store, clock: new FakeClock("2026-03-02T09:00:00Z"), config, engineRunning });
    const res = await app.inject({ method: "GET", url: "/readyz" });
    await app.close();
    return { status: res.statusCode, type: res.headers["content-type"], body: JSON.parse(res.body) };
  };

  it("answers 200 without credentials when the store answers, migrations are current and the engine runs", async () => {
    const res = await appWith(() => true);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "ready", checks: { store: { status: "pass" }, migrations: { status: "pass" }, engine: { status: "pass" } } });
  });

  it("skips the engine check where the engine runs in workers instead", async () => {
    const res = await h.api("GET", "/readyz");
    expect(res.status, res.text).toBe(200);
    expect(res.body.checks.engine.status).toBe("skipped");
  });

  it("answers 503 problem+json naming the engine when it is not running", async () => {
    const res = await appWith(() => false);
    expect(res.status).toBe(503);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: "not_ready", checks: { engine: { status: "fail" }, store: { status: "pass" } } });
    expect(res.body.detail).toMatch(/engine/);
    expect(res.body.detail).not.toMatch(/migrations/);
  });

  it("answers 503 naming the migrations when the store is behind this build", async () => {
    const other = await startHarness();
    await other.store.db.execute(sql`update drizzle.__drizzle_migrations set created_at = 0`);
    const res = await other.api("GET", "/readyz");
    expect(res.status, res.text).toBe(503);
    expect(res.body.code).toBe("not_ready");
    expect(res.body.checks.migrations.status).toBe("fail");
    expect(res.body.detail).toMatch(/migrate/);
  });
});
