import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "./raw.js";
import { openTestStore, testStoreKind } from "../test-support/test-store.js";

describe("LISTEN/NOTIFY", async () => {
  const store = await openTestStore();

  /** Resolves with the next payload the listener receives. */
  function nextPayload(queue: string[], waiters: ((p: string) => void)[]): Promise<string> {
    const ready = queue.shift();
    return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
  }

  it("delivers payloads on commit", async () => {
    const queue: string[] = [];
    const waiters: ((p: string) => void)[] = [];
    const stop = await store.listen("tierline_test_payloads", (p) => (waiters.length > 0 ? waiters.shift()!(p) : queue.push(p)));
    try {
      await store.db.execute(sql`select pg_notify('tierline_test_payloads', '1,2,3')`);
      expect(await nextPayload(queue, waiters)).toBe("1,2,3");
    } finally {
      await stop();
    }
  });

  it.runIf(testStoreKind() === "postgres")("listens again after its session is ended, and says 'resync'", async () => {
    const queue: string[] = [];
    const waiters: ((p: string) => void)[] = [];
    const stop = await store.listen("tierline_test_reconnect", (p) => (waiters.length > 0 ? waiters.shift()!(p) : queue.push(p)));
    try {
      const ended = await queryRows<{ ok: boolean }>(
        store.db,
        sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where query = 'listen "tierline_test_reconnect"' and datname = current_database()`,
      );
      expect(ended).toEqual([{ ok: true }]);
      expect(await nextPayload(queue, waiters)).toBe("resync");
      await store.db.execute(sql`select pg_notify('tierline_test_reconnect', 'after')`);
      expect(await nextPayload(queue, waiters)).toBe("after");
    } finally {
      await stop();
    }
  });
});
