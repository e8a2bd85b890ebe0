import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAdminSql } from "../../src/test-support/postgres-admin.js";

/**
 * An empty store for one benchmark run: a new PostgreSQL database next to `postgresUrl`'s, or a new PGlite
 * folder. `env` points a server at it (DATABASE_URL or TIERLINE_DATA_DIR); `cleanup` drops it.
 */
export async function freshStore(kind: "postgres" | "pglite", postgresUrl: string, label: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), `tierline-${label}-`));
    return { env: { TIERLINE_DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tierline_${label.replace(/\W/g, "_")}_${process.pid}`;
  await runAdminSql(postgresUrl, `drop database if exists ${name} with (force)`);
  await runAdminSql(postgresUrl, `create database ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, cleanup: () => runAdminSql(postgresUrl, `drop database if exists ${name} with (force)`) };
}
