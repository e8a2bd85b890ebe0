import { describe, expect, it } from "vitest";
import { startHarness } from "../test-support/harness.js";
import { testStoreKind } from "../test-support/test-store.js";
import { ticketApi, uniqueCustomer } from "../test-support/ticket-api.js";

describe("a policy apply that removes a rule, while tickets come in", async () => {
  const h = await startHarness();
  const { as, send } = ticketApi(h);

  // PGlite runs one session, so its transactions never overlap: real concurrency needs PostgreSQL.
  it.runIf(testStoreKind() === "postgres")("never fails an intake: every ticket 201, the apply 200 or 409, never a 500", async () => {
    for (let round = 0; round < 3; round++) {
      const rule = await send(as.admin, "POST", "/escalation-rules", { name: `Tag everything ${round}`, conditions: [], actions: [{ type: "add_tags", tags: ["seen"] }] });
      expect(rule.status, rule.text).toBe(201);
      const doc = (await send(as.admin, "GET", "/policy?format=json")).body;
      const without = { ...doc, rules: doc.rules.filter((r: { name: string }) => r.name !== `Tag everything ${round}`) };
      const intakes = Array.from({ length: 40 }, () =>
        send(as.alice, "POST", "/tickets", { subject: "Race", description: "Racing the policy apply.", channel: "email", customer: uniqueCustomer() }),
      );
      const apply = send(as.admin, "PUT", "/policy", without);
      const [applied, ...tickets] = await Promise.all([apply, ...intakes]);
      expect(tickets.map((t) => t.status)).toEqual(tickets.map(() => 201));
      expect([200, 409], applied.text).toContain(applied.status);
      if (applied.status === 409) expect(applied.body.code).toBe("policy_conflict");
    }
  });

  it("removes a rule that never fired (both stores)", async () => {
    const rule = await send(as.admin, "POST", "/escalation-rules", { name: "Never fires", conditions: [{ field: "category", op: "in", value: ["nothing-ever"] }], actions: [{ type: "notify", role: "lead" }] });
    expect(rule.status, rule.text).toBe(201);
    const doc = (await send(as.admin, "GET", "/policy?format=json")).body;
    const res = await send(as.admin, "PUT", "/policy", { ...doc, rules: doc.rules.filter((r: { name: string }) => r.name !== "Never fires") });
    expect(res.status, res.text).toBe(200);
    expect((await send(as.admin, "GET", `/escalation-rules/${rule.body.id}`)).status).toBe(404);
  });
});
