import { describe, expect, it } from "vitest";
import { startHarness } from "../test-support/harness.js";
import { testStoreKind } from "../test-support/test-store.js";
import { ticketApi } from "../test-support/ticket-api.js";

describe("PUT /authority-limits", async () => {
  const h = await startHarness();
  const { as, send } = ticketApi(h);
  const limitsOf = (n: number) => [
    { role: "agent", type: "refund", amount: 10 + n, currency: "EUR" },
    { role: "lead", type: "refund", amount: 100 + n, currency: "EUR" },
  ];

  // PGlite runs one session, so its transactions never overlap: real concurrency needs PostgreSQL.
  it.runIf(testStoreKind() === "postgres")("replaces the limits safely when many admins send at once: every request 200, one whole set wins", async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, n) => send(as.admin, "PUT", "/authority-limits", limitsOf(n))));
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    const final = (await send(as.admin, "GET", "/authority-limits")).body;
    expect(final).toHaveLength(2);
    const n = final.find((l: { role: string }) => l.role === "agent").amount - 10;
    expect(final).toEqual(expect.arrayContaining(limitsOf(n)));
  });

  it("still replaces the whole set one request at a time (both stores)", async () => {
    expect((await send(as.admin, "PUT", "/authority-limits", limitsOf(1))).status).toBe(200);
    const res = await send(as.admin, "PUT", "/authority-limits", [{ role: "manager", type: "credit", amount: 7, currency: "EUR" }]);
    expect(res.status, res.text).toBe(200);
    expect((await send(as.admin, "GET", "/authority-limits")).body).toEqual([{ role: "manager", type: "credit", amount: 7, currency: "EUR" }]);
    expect((await send(as.lena, "PUT", "/authority-limits", limitsOf(2))).status).toBe(403);
  });
});
