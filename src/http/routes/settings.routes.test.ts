import { describe, expect, it } from "vitest";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi } from "../../test-support/ticket-api.js";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GET/PUT /settings and what customers may set on their own tickets (issue 9, item 2). */
describe("settings and customers' own tickets", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const carol = await t.signIn("carol@customer.test");
  const mine = async (): Promise<Json[]> => t.all(carol, "/tickets");
  const asCustomer = (body: Record<string, unknown>) =>
    send(carol, "POST", "/tickets", { subject: "Printer on fire", description: "Please hurry.", channel: "web", ...body });

  it("starts with customers not choosing the priority; staff read the settings, customers do not", async () => {
    for (const who of [as.alice, as.mark, as.admin]) {
      const res = await send(who, "GET", "/settings");
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ customerMayChoosePriority: false, updatedAt: null, updatedById: null });
    }
    expectProblem(await send(carol, "GET", "/settings"), 403, "forbidden");
  });

  it("gives a customer's own ticket normal priority, whatever they ask for", async () => {
    for (const priority of ["urgent", "high", "low"]) {
      const res = await asCustomer({ priority });
      expect(res.status, res.text).toBe(201);
      expect(res.body.priority).toBe("normal");
    }
  });

  it("refuses tags from a customer with 400 naming body.tags, and opens no ticket", async () => {
    const before = (await mine()).length;
    const res = await asCustomer({ tags: ["vip", "legal"], priority: "urgent" });
    expectInvalid(res, ["body.tags"]);
    expect(res.body.detail).toBe("Customers cannot tag their tickets; staff set tags.");
    expect((await mine()).length).toBe(before);
    expect((await asCustomer({ tags: [] })).status).toBe(201);
  });

  it("lets staff set priority and tags as before", async () => {
    const ticket = await t.openTicket({ priority: "urgent", tags: ["vip"] });
    expect(ticket).toMatchObject({ priority: "urgent", tags: ["vip"] });
  });

  it("is changed by admins only, naming what was refused, with bad bodies refused", async () => {
    for (const who of [as.mark, as.lena, as.alice]) {
      const res = await send(who, "PUT", "/settings", { customerMayChoosePriority: true });
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toBe("Only an admin may change settings.");
    }
    expectProblem(await send(carol, "PUT", "/settings", { customerMayChoosePriority: true }), 403, "forbidden");
    expectInvalid(await send(as.admin, "PUT", "/settings", { customerMayChoosePriority: "yes" }), ["body.customerMayChoosePriority"]);
    expectProblem(await send(as.admin, "PUT", "/settings", { customerMayChoosePriority: true, customerMayTag: true }), 400, "validation_failed");
    expectInvalid(await send(as.admin, "PUT", "/settings", {}), ["body.customerMayChoosePriority"]);
    expect((await send(as.admin, "GET", "/settings")).body.customerMayChoosePriority).toBe(false);
  });

  it("once an admin allows it, keeps the customer's priority, records who changed it, and still refuses tags", async () => {
    h.clock.advance(60_000);
    const res = await send(as.admin, "PUT", "/settings", { customerMayChoosePriority: true });
    expect(res.status, res.text).toBe(200);
    const changed = { customerMayChoosePriority: true, updatedAt: h.clock.now().toISOString(), updatedById: h.org.agents.admin.id };
    expect(res.body).toEqual(changed);
    expect((await send(as.alice, "GET", "/settings")).body).toEqual(changed);
    try {
      expect((await asCustomer({ priority: "urgent" })).body.priority).toBe("urgent");
      expectInvalid(await asCustomer({ tags: ["vip"] }), ["body.tags"]);
    } finally {
      expect((await send(as.admin, "PUT", "/settings", { customerMayChoosePriority: false })).status).toBe(200);
    }
    expect((await asCustomer({ priority: "urgent" })).body.priority).toBe("normal");
  });
});
