import type { SQL } from "drizzle-orm";
import type { Db, Tx } from "./store.js";

/**
 * Runs a raw SQL statement and returns its rows. Both drivers (node-postgres and PGlite) return an object
 * with `rows`; drizzle's generic type cannot say so, hence this one narrow cast.
 */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
