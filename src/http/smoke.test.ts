import { describe, expect, it } from "vitest";
import { startHarness } from "../test-support/harness.js";

describe("smoke", async () => {
  const h = await startHarness();
  it("creates and escalates a ticket", async () => {
    const created = await h.api("POST", "/api/v1/tickets", {
      token: h.org.agents.alice.token,
      body: { subject: "Hi", description: "Broken", channel: "email", priority: "high", customer: { email: "x@y.test" } },
    });
    expect(created.status, created.text).toBe(201);
    const esc = await h.api("POST", `/api/v1/tickets/${created.body.id}/escalations`, {
      token: h.org.agents.alice.token,
      body: { kind: "functional", toTeamId: h.org.teams.billing.id, reason: "needs_expertise", note: "Customer was double charged; refund needed." },
    });
    expect(esc.status, esc.text).toBe(201);
    const events = await h.api("GET", `/api/v1/tickets/${created.body.id}/events`, { token: h.org.agents.admin.token });
    expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(["ticket.created", "escalation.created", "ticket.status_changed"]);
  });
});
