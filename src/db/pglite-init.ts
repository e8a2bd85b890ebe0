/**
 * Creates a new embedded PGlite data folder and exits. Run as a child process by `openPgliteStore`:
 * PostgreSQL's initdb peaks near 800 MB in WebAssembly memory, which a Node process does not give back
 * promptly; doing it in a short-lived process keeps the server's own footprint at that of a reopened store.
 */
import { PGlite } from "@electric-sql/pglite";

const dataDir = process.argv[2];
if (!dataDir) {
  console.error("usage: pglite-init <data-dir>");
  process.exit(2);
}
const db = await PGlite.create(dataDir);
await db.close();
