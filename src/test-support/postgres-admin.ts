import pg from "pg";

/** Runs one administrative statement (create/drop database) on its own short-lived connection. */
export async function runAdminSql(connectionString: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
