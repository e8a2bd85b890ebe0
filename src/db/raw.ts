import { createHash } from "node:crypto";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import pg from "pg";
import type { Db, Tx } from "./store.js";

/**
 * Runs a raw SQL statement and returns its rows. Both drivers (node-postgres and PGlite) return an object
 * with `rows`; drizzle's generic type cannot say so, hence this one narrow cast.
 */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const dialect = new PgDialect();
const statementNames = new Map<string, string>();

/**
 * Runs a hot-path statement as a named prepared statement on PostgreSQL, so each
 * pooled connection parses and plans it once instead of on every call (for a multi-CTE intake statement
 * this is most of the server's work). PGlite, one in-process session, runs it as an ordinary query.
 * Rows come with the drivers' default type parsing (timestamps as Date, bigint as string).
 */
export async function preparedRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  // The pool behind a database, or (inside a transaction) the one connection drizzle holds for it.
  const client = "$client" in db ? (db as unknown as { $client: unknown }).$client : (db as unknown as { session?: { client?: unknown } }).session?.client;
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    let name = statementNames.get(text);
    if (!name) {
      name = `tl_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`;
      statementNames.set(text, name);
    }
    return (await client.query<T & pg.QueryResultRow>({ name, text, values: params as unknown[] })).rows;
  }
  return queryRows<T>(db, query);
}
