import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { registerBlobStore, type BlobStore } from "../blobs/blob-store.js";
import { FsBlobStore } from "../blobs/fs-blob-store.js";
import { PostgresBlobStore } from "../blobs/postgres-blob-store.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The drizzle database, whichever store is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A drizzle transaction; commands write through one of these. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type StoreKind = "pglite" | "postgres";

export type Store = {
  kind: StoreKind;
  db: Db;
  /** Where attachment and raw-mail bytes live (files under the data folder, or PostgreSQL tables). */
  blobs: BlobStore;
  /** Applies pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /**
   * Subscribes to a NOTIFY channel (from any instance, delivered on commit); the callback receives the
   * notification's payload ('' when none was given). Returns the unsubscribe.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
};

/** The folder of drizzle-kit migrations, found from here both in src/ (tests) and in dist/ (built). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../drizzle", import.meta.url));

/** An advisory lock key shared by every instance that migrates one PostgreSQL database. */
const MIGRATION_LOCK_KEY = 7_311_204_118;

/** Which blob store a store uses: files under a folder, or the PostgreSQL server's tables. */
export type BlobStoreChoice = { kind: "fs"; dir: string } | { kind: "postgres" };

/** Opens a PostgreSQL server store; its blobs go to its own tables unless a folder is chosen. */
export function openPostgresStore(url: string, poolSize = 10, blobChoice: BlobStoreChoice = { kind: "postgres" }): Store {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on("error", (err) => console.error("postgres pool error:", err.message));
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const blobs = blobChoice.kind === "fs" ? new FsBlobStore(blobChoice.dir) : new PostgresBlobStore(db);
  registerBlobStore(db, blobs);
  return {
    kind: "postgres",
    db,
    blobs,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    listen: (channel, onNotify) => listenWithReconnect(url, channel, onNotify),
    close: () => pool.end(),
  };
}

/**
 * LISTEN on a session of its own (outside the pool). When that session is lost (a server restart, a
 * network cut, an administrator ending it) it is opened again, retrying with a growing wait, and the
 * callback then receives 'resync': notifications sent meanwhile are gone, so the listener catches up.
 */
async function listenWithReconnect(url: string, channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on("error", (err) => console.error("postgres listener error:", err.message));
    c.on("notification", (msg) => {
      if (msg.channel === channel) onNotify(msg.payload ?? "");
    });
    c.once("end", () => {
      if (client === c && !stopped) reconnect(1);
    });
    await c.connect();
    await c.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = c;
  };
  const reconnect = (attempt: number) => {
    client = undefined;
    retryTimer = setTimeout(() => {
      if (stopped) return;
      connect().then(
        () => onNotify("resync"),
        (err: Error) => {
          console.error(`postgres listener: reconnecting to ${channel} failed (${err.message}); retrying`);
          reconnect(attempt + 1);
        },
      );
    }, Math.min(30_000, 250 * 2 ** attempt));
    retryTimer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    await client?.end().catch(() => undefined);
  };
}

/**
 * Wraps an opened PGlite instance as a store, its blobs as files under `blobDir` (never inside PGlite,
 * which holds every value it reads in WebAssembly memory). Without a folder (an in-memory database:
 * tests, templates) the blobs go to a temporary folder that is removed on close.
 */
export function pgliteStore(client: PGlite, blobDir?: string): Store {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  let ownFolder: string | undefined;
  if (!blobDir) blobDir = ownFolder = mkdtempSync(join(tmpdir(), "tierline-blobs-"));
  const blobs = new FsBlobStore(blobDir);
  registerBlobStore(db, blobs);
  return {
    kind: "pglite",
    db,
    blobs,
    // PGlite is one session in one process, so no lock is needed.
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER }),
    async listen(channel, onNotify) {
      const unlisten = await client.listen(channel, (payload) => onNotify(payload ?? ""));
      return () => unlisten();
    },
    async close() {
      await client.close();
      if (ownFolder) rmSync(ownFolder, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL settings of the embedded store. PGlite's default 128 MB of shared buffers costs as much
 * resident memory; 32 MB keeps an idle server well under its memory budget, and the operating system's
 * file cache still holds the rest of a small helpdesk's data.
 */
export const PGLITE_CONF = ["shared_buffers=32MB"];

/** Opens the embedded PGlite store, keeping its data in `dataDir` (created if missing) and its blobs in `blobDir` (default `<dataDir>/blobs`). */
export async function openPgliteStore(dataDir: string, blobDir = join(dataDir, "blobs")): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(join(dataDir, "PG_VERSION"))) await initialisePglite(dataDir);
  return pgliteStore(await PGlite.create(dataDir, { postgresqlconf: PGLITE_CONF }), blobDir);
}

/** Runs initdb for a new data folder in a child process (see pglite-init.ts for why). */
function initialisePglite(dataDir: string): Promise<void> {
  const script = new URL(import.meta.url.endsWith(".ts") ? "./pglite-init.ts" : "./pglite-init.js", import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(script), dataDir], { stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`creating the embedded store in ${dataDir} failed (exit ${code})`))));
  });
}

/** Opens the store the configuration names: PostgreSQL when a URL is given, else the embedded store. */
export async function openStore(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
  pgPoolSize?: number;
  /** Default: files under `<dataDir>/blobs` for the embedded store, the server's tables for PostgreSQL. */
  blobStore?: BlobStoreChoice | undefined;
}): Promise<Store> {
  if (opts.databaseUrl) return openPostgresStore(opts.databaseUrl, opts.pgPoolSize, opts.blobStore);
  if (opts.blobStore?.kind === "postgres") throw new Error("the postgres blob store needs DATABASE_URL");
  return openPgliteStore(opts.dataDir, opts.blobStore?.dir);
}
