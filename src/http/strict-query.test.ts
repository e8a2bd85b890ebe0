import { describe, expect, it } from "vitest";
import { buildTicket } from "../test-support/factories.js";
import { startHarness } from "../test-support/harness.js";
import { expectInvalid } from "../test-support/problem-assertions.js";

describe("unknown query parameters", async () => {
  const h = await startHarness();
  const admin = h.org.agents.admin.token;
  const ticket = await buildTicket(h.org.sys, { subject: "Printer jams", priority: "high" });

  it("are refused with 400 naming each parameter, on every kind of list", async () => {
    const cases: [string, string[]][] = [
      ["/api/v1/tickets?kategorie=outage", ["querystring.kategorie"]],
      ["/api/v1/tickets?status=new&kategorie=outage&order=asc", ["querystring.kategorie", "querystring.order"]],
      ["/api/v1/customers?name=Carol", ["querystring.name"]],
      ["/api/v1/levels?offset=10", ["querystring.offset"]],
      [`/api/v1/tickets/${ticket.id}/messages?kind=internal`, ["querystring.kind"]],
      [`/api/v1/tickets/${ticket.id}/events?LIMIT=5`, ["querystring.LIMIT"]],
      ["/api/v1/inbound-mail?state=quarantined", ["querystring.state"]],
      ["/api/v1/policy?fmt=json", ["querystring.fmt"]],
    ];
    for (const [url, paths] of cases) {
      const res = await h.api("GET", url, { token: admin });
      expectInvalid(res, paths);
      expect(res.body.detail, url).toContain(paths[0]);
    }
  });

  it("still answer known parameters as before", async () => {
    const byPriority = await h.api("GET", "/api/v1/tickets?priority=high&limit=10", { token: admin });
    expect(byPriority.status, byPriority.text).toBe(200);
    expect(byPriority.body.data.map((t: { id: string }) => t.id)).toContain(ticket.id);
    const low = await h.api("GET", "/api/v1/tickets?priority=low", { token: admin });
    expect(low.status, low.text).toBe(200);
    expect(low.body.data.map((t: { id: string }) => t.id)).not.toContain(ticket.id);
    const customers = await h.api("GET", "/api/v1/customers?email=carol%40customer.test", { token: admin });
    expect(customers.status, customers.text).toBe(200);
    expect(customers.body.data).toHaveLength(1);
  });

  it("are documented: query parameters in the OpenAPI document are the complete list", async () => {
    const { body } = await h.api("GET", "/api/openapi.json");
    const params = body.paths["/api/v1/tickets"].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(["limit", "cursor", "status", "priority"]));
    expect(params).not.toContain("kategorie");
  });
});
