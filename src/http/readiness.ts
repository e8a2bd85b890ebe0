import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { MIGRATIONS_FOLDER, type Store } from "../db/store.js";

const Check = z.object({ status: z.enum(["pass", "fail", "skipped"]), detail: z.string() });
export const ReadyDto = z
  .object({
    status: z.literal("ready"),
    checks: z.object({ store: Check, migrations: Check, engine: Check }),
  })
  .meta({ id: "Readiness" });
type Checks = z.infer<typeof ReadyDto>["checks"];

/** The newest migration this build ships (drizzle records each applied one with its journal `when`). */
async function newestShippedMigration(): Promise<{ tag: string; when: number }> {
  const journal = JSON.parse(await readFile(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  return journal.entries.reduce((a, b) => (b.when > a.when ? b : a));
}

/**
 * What `/readyz` reports: the store answers, its newest applied migration is the newest this build ships,
 * and this process's deadline engine runs (skipped when the engine runs in workers instead).
 */
export async function readinessChecks(store: Store, engineRunning: (() => boolean) | undefined): Promise<Checks> {
  const engine: Checks["engine"] =
    engineRunning === undefined
      ? { status: "skipped", detail: "the deadline engine runs outside this process" }
      : engineRunning()
        ? { status: "pass", detail: "running" }
        : { status: "fail", detail: "the deadline engine is not running" };
  try {
    await store.db.execute(sql`select 1`);
  } catch (err) {
    const fail = { status: "fail" as const, detail: `the store does not answer: ${(err as Error).message}` };
    return { store: fail, migrations: { status: "fail", detail: "the store does not answer" }, engine };
  }
  const shipped = await newestShippedMigration();
  let applied: number | null = null;
  try {
    const result = await store.db.execute<{ latest: string | number | null }>(sql`select max(created_at) as latest from drizzle.__drizzle_migrations`);
    const rows = (Array.isArray(result) ? result : (result as { rows: { latest: string | number | null }[] }).rows) as { latest: string | number | null }[];
    applied = rows[0]?.latest === null || rows[0]?.latest === undefined ? null : Number(rows[0].latest);
  } catch {
    applied = null;
  }
  const migrations: Checks["migrations"] =
    applied !== null && applied >= shipped.when
      ? { status: "pass", detail: `current (${shipped.tag})` }
      : { status: "fail", detail: `migration ${shipped.tag} is not applied: run \`tierline migrate\`` };
  return { store: { status: "pass", detail: store.kind }, migrations, engine };
}
