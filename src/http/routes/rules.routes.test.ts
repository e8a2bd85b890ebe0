import { beforeAll, describe, expect, it } from "vitest";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

describe("the escalation matrix", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const { teams, levels, customers } = h.org;

  async function addRule(body: Record<string, unknown>) {
    const res = await t.send(as.admin, "POST", "/escalation-rules", body);
    expect(res.status, res.text).toBe(201);
    return res.body;
  }
  const firedRules = async (ticketId: string) =>
    (await t.timeline(ticketId)).filter((e) => e.type === "rule.fired").map((e) => e.data.rule as string);

  beforeAll(async () => {
    // The four rules of the demo policy.
    await addRule({
      name: "Urgent VIP straight to L2",
      position: 10,
      conditions: [
        { field: "priority", op: "in", value: ["urgent"] },
        { field: "customerTier", op: "in", value: ["vip"] },
      ],
      actions: [{ type: "route", teamId: teams.technical.id }],
    });
    await addRule({
      name: "Legal threats to management",
      position: 20,
      conditions: [{ field: "text", op: "contains_any", value: ["lawyer", "legal action", "regulator"] }],
      actions: [{ type: "escalate", kind: "hierarchical", teamId: teams.management.id, reason: "legal_risk" }, { type: "notify", role: "manager" }],
      stopProcessing: true,
    });
    await addRule({
      name: "Third reopen",
      position: 30,
      triggers: ["ticket.updated", "message.received"],
      conditions: [{ field: "reopenCount", op: "gte", value: 3 }],
      actions: [{ type: "escalate", kind: "hierarchical", reason: "recurring_issue" }],
    });
    await addRule({
      name: "Payment failures to billing",
      position: 40,
      conditions: [{ field: "text", op: "contains_any", value: ["payment failed", "payment failure", "card declined"] }],
      actions: [{ type: "escalate", kind: "functional", teamId: teams.billing.id, reason: "needs_expertise" }, { type: "require_ack", within: "PT1H" }],
    });
  });

  it("routes an urgent ticket of a VIP customer straight to L2", async () => {
    const ticket = await t.openTicket({ priority: "urgent", customerId: customers.carol.id, subject: "Router offline", description: "Nothing works." });
    expect(ticket).toMatchObject({ teamId: teams.technical.id, levelId: levels.l2.id });
    expect(await firedRules(ticket.id)).toEqual(["Urgent VIP straight to L2"]);
    expect(await t.escalations(ticket.id)).toHaveLength(0); // routing, not an escalation
    const normal = await t.openTicket({ priority: "urgent", customer: uniqueCustomer(), subject: "Router offline", description: "Nothing works." });
    expect(normal.teamId).toBe(teams.frontline.id);
  });

  it("escalates legal threats to management, also when they come in a later message, and stops there", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Refund", description: "Please refund my order." });
    expect(await firedRules(ticket.id)).toEqual([]);
    const customer = await t.signIn(customers.carol.email);
    // A staff member writes the customer's words here as an internal note: notes are not customer text.
    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Customer mentioned a lawyer on the phone.", kind: "internal" });
    expect(await firedRules(ticket.id)).toEqual([]);
    const own = await t.openTicket({ subject: "Still no refund", description: "Second time I ask." }, customer);
    const res = await t.send(customer, "POST", `/tickets/${own.id}/messages`, { body: "If this is not fixed, I'll take legal action. Payment failed again." });
    expect(res.status, res.text).toBe(201);
    expect(await firedRules(own.id)).toEqual(["Legal threats to management"]); // stop processing: the payment rule did not run
    const [escalation] = await t.escalations(own.id);
    expect(escalation).toMatchObject({ kind: "hierarchical", reason: "legal_risk", toTeamId: teams.management.id });
  });

  it("escalates a third reopen as a recurring issue, once", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Wi-Fi drops", description: "Every evening." });
    for (let i = 1; i <= 3; i++) {
      await t.patch(ticket.id, { status: "resolved" });
      h.clock.advance(60_000);
      await t.patch(ticket.id, { status: "open" });
      h.clock.advance(60_000);
    }
    await t.patch(ticket.id, { priority: "high" }); // a later change, while the count is still 3
    expect(await firedRules(ticket.id)).toEqual(["Third reopen"]);
    const escalations = await t.escalations(ticket.id);
    expect(escalations.map((e: { reason: string; toLevelId: string }) => [e.reason, e.toLevelId])).toEqual([["recurring_issue", levels.l2.id]]);
  });

  it("sends a payment failure to billing, to be acknowledged within an hour", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Card declined", description: "My card declined at checkout." });
    const [escalation] = await t.escalations(ticket.id);
    expect(escalation).toMatchObject({ kind: "functional", reason: "needs_expertise", toTeamId: teams.billing.id });
    const deadlines = await h.store.db.query.deadlines.findMany({ where: (d, { eq }) => eq(d.escalationId, escalation.id) });
    expect(deadlines.map((d) => [d.stepKey, d.dueAt.getTime() - new Date(escalation.requestedAt).getTime()])).toEqual([["ack", 3_600_000]]);
  });

  it("fires a rule that repeats once per change while it matches", async () => {
    await addRule({
      name: "Tag chatty customers",
      position: 50,
      oncePerTicket: false,
      triggers: ["message.received"],
      conditions: [
        { field: "customerContacts", op: "gte", value: 3 },
        { field: "tags", op: "has_any", value: ["watch"] },
      ],
      actions: [{ type: "add_tags", tags: ["chatty"] }],
    });
    const customer = await t.signIn(customers.carol.email);
    // Customers never tag their own tickets: staff put it on watch.
    const ticket = await t.openTicket({ subject: "Question", description: "How do I pair the sensor?" }, customer);
    await t.patch(ticket.id, { tags: ["watch"] });
    await t.send(customer, "POST", `/tickets/${ticket.id}/messages`, { body: "Any news?" });
    expect(await firedRules(ticket.id)).toEqual([]);
    await t.send(customer, "POST", `/tickets/${ticket.id}/messages`, { body: "Hello?" });
    await t.send(customer, "POST", `/tickets/${ticket.id}/messages`, { body: "Still waiting." });
    expect(await firedRules(ticket.id)).toEqual(["Tag chatty customers", "Tag chatty customers"]);
    expect((await t.ticket(ticket.id)).tags).toEqual(["watch", "chatty"]);
    const fired = (await t.timeline(ticket.id)).filter((e) => e.type === "rule.fired");
    expect(fired[1].data.actions).toEqual([{ type: "add_tags", skipped: "already tagged" }]);
  });

  it("answers a dry run without writing anything", async () => {
    const before = (await t.all(as.admin, "/tickets")).length;
    const res = await t.send(as.lena, "POST", "/policy/evaluate", {
      ticket: { priority: "urgent", customerTier: "vip", subject: "I will call the regulator", description: "Card declined." },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.matched.map((m: { rule: string }) => m.rule)).toEqual(["Urgent VIP straight to L2", "Legal threats to management"]);
    expect((await t.all(as.admin, "/tickets")).length).toBe(before);
  });

  it("matches keywords by English word stem as well as exact phrase, and the dry run shows what matched (issue 9 item 14)", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Refund", description: "Our lawyers are looking at this." });
    expect(await firedRules(ticket.id)).toEqual(["Legal threats to management"]);
    expect((await t.ticket(ticket.id)).teamId).toBe(teams.management.id);
    const fired = (await t.timeline(ticket.id)).find((e) => e.type === "rule.fired");
    expect(fired.data.keywords).toEqual([{ keyword: "lawyer", matched: "lawyers", by: "stem" }]);

    const dryRun = async (description: string) => {
      const res = await t.send(as.lena, "POST", "/policy/evaluate", { ticket: { subject: "Complaint", description } });
      expect(res.status, res.text).toBe(200);
      return res.body.matched.find((m: { rule: string }) => m.rule === "Legal threats to management")?.keywords ?? null;
    };
    expect(await dryRun("My LAWYERS will hear of it.")).toEqual([{ keyword: "lawyer", matched: "LAWYERS", by: "stem" }]);
    expect(await dryRun("I am taking legal action now.")).toEqual([{ keyword: "legal action", matched: "legal action", by: "phrase" }]);
    expect(await dryRun("Expect legal-actions and the regulators.")).toEqual([
      { keyword: "legal action", matched: "legal actions", by: "stem" },
      { keyword: "regulator", matched: "regulators", by: "stem" },
    ]);
    // Stems, not substrings: "illegal actions" is not "legal action"; words out of order are no phrase.
    expect(await dryRun("That would be illegal actions.")).toBeNull();
    expect(await dryRun("The action was legal.")).toBeNull();
  });

  it("refuses bad rules, and non-admins, writing nothing", async () => {
    const count = async () => (await t.all(as.admin, "/escalation-rules")).length;
    const before = await count();
    expectInvalid(await t.send(as.admin, "POST", "/escalation-rules", { name: "x", conditions: [{ field: "mood", op: "in", value: ["angry"] }], actions: [{ type: "notify", role: "lead" }] }), ["body.conditions.0.field"]);
    expectInvalid(await t.send(as.admin, "POST", "/escalation-rules", { name: "x", conditions: [], actions: [] }), ["body.actions"]);
    expectInvalid(await t.send(as.admin, "POST", "/escalation-rules", { name: "x", conditions: [], actions: [{ type: "require_ack", within: "PT1H" }] }), ["body.actions"]);
    const escalateThenAck = (within: string) => [{ type: "escalate", kind: "functional", teamId: teams.billing.id, reason: "needs_expertise" }, { type: "require_ack", within }];
    const subMs = await t.send(as.admin, "POST", "/escalation-rules", { name: "x", conditions: [], actions: escalateThenAck("PT0.0015S") });
    expectInvalid(subMs, ["body.actions.1.within"]);
    expect(subMs.body.errors[0].message).toMatch(/whole milliseconds/);
    expectProblem(await t.send(as.admin, "POST", "/escalation-rules", { name: "x", conditions: [], actions: [{ type: "route", teamId: "00000000-0000-4000-8000-000000000000" }] }), 404, "team_not_found");
    expectProblem(await t.send(as.lena, "POST", "/escalation-rules", { name: "x", conditions: [], actions: [{ type: "notify", role: "lead" }] }), 403, "forbidden");
    expectProblem(await t.send(as.admin, "POST", "/escalation-rules", { name: "Third reopen", conditions: [], actions: [{ type: "notify", role: "lead" }] }), 409, "rule_exists");
    expect(await count()).toBe(before);
  });

  it("escalates a ticket left unresolved for 24 hours at L1, through the deadline engine, once", async () => {
    await addRule({
      name: "Unresolved 24 h at L1",
      position: 60,
      triggers: ["time"],
      conditions: [
        { field: "hoursSinceCreated", op: "gte", value: 24 },
        { field: "levelRank", op: "eq", value: 1 },
        { field: "tags", op: "has_any", value: ["slow-lane"] },
      ],
      actions: [{ type: "escalate", kind: "hierarchical", teamId: teams.management.id, reason: "complaint" }],
    });
    const drain = () => new DeadlineEngine({ store: h.store, clock: h.clock }).drainDue();
    const start = h.clock.now().getTime();
    const stuck = await t.openTicket({ customer: uniqueCustomer(), subject: "Waiting", description: "No answer yet.", tags: ["slow-lane"] });
    const moved = await t.openTicket({ customer: uniqueCustomer(), subject: "Waiting too", description: "No answer yet.", tags: ["slow-lane"] });
    await t.escalate(moved.id, { kind: "functional", toTeamId: teams.billing.id }); // no longer at L1
    h.clock.set(new Date(start + 23 * 3_600_000));
    await drain();
    expect(await t.escalations(stuck.id)).toHaveLength(0);
    h.clock.set(new Date(start + 24 * 3_600_000 + 1_000));
    await drain();
    await drain();
    expect((await t.escalations(stuck.id)).map((e: { reason: string }) => e.reason)).toEqual(["complaint"]);
    expect(await firedRules(stuck.id)).toEqual(["Unresolved 24 h at L1"]);
    expect((await t.escalations(moved.id)).map((e: { reason: string }) => e.reason)).toEqual(["needs_expertise"]);
    h.clock.set(new Date(start + 72 * 3_600_000));
    await drain();
    expect(await t.escalations(stuck.id)).toHaveLength(1);
  });

  it("draws the escalation paths: intake, levels, teams, rules and SLA steps", async () => {
    const policy = await t.send(as.admin, "POST", "/sla-policies", {
      name: "Paths",
      targets: { resolution: { normal: "P1D" } },
      steps: [{ type: "escalate", metric: "resolution", to: { kind: "role", role: "manager" }, repeatEvery: "PT8H", maxRepeats: 2 }],
      ackTimeout: "PT1H",
      conditions: { categories: ["paths-only"] },
    });
    expect(policy.status, policy.text).toBe(201);
    const res = await t.send(as.lena, "GET", "/policy/paths");
    expect(res.status, res.text).toBe(200);
    const { nodes, edges } = res.body as { nodes: { id: string; kind: string }[]; edges: { from: string; to: string; kind: string; label: string; detail?: string }[] };
    expect(nodes.filter((n) => n.kind === "level")).toHaveLength(3);
    expect(nodes.filter((n) => n.kind === "team")).toHaveLength(4);
    expect(edges).toContainEqual({ from: "entry", to: `team:${teams.frontline.id}`, kind: "intake", label: "lands on the frontline team of the lowest level" });
    expect(edges).toContainEqual(
      expect.objectContaining({ from: "entry", to: `team:${teams.management.id}`, kind: "rule", label: "Legal threats to management (hierarchical, legal_risk)", detail: expect.stringContaining("text contains any lawyer/legal action/regulator") }),
    );
    expect(edges).toContainEqual(expect.objectContaining({ from: "entry", to: "next_level", kind: "rule", label: "Third reopen (hierarchical, recurring_issue)" }));
    const from = `sla:${policy.body.id}`;
    expect(edges).toContainEqual({
      from,
      to: "role:manager",
      kind: "sla_step",
      label: "resolution missed, again every PT8H (at most 2×)",
      policyId: policy.body.id,
      metric: "resolution",
      after: "PT0S",
      repeatEvery: "PT8H",
      maxRepeats: 2,
      targets: { normal: "P1D" },
    });
    expect(edges).toContainEqual({ from, to: "next_level", kind: "ack_timeout", label: "escalation not acknowledged within PT1H", policyId: policy.body.id, timeout: "PT1H" });
    // Each rule edge names its rule, so the flowchart can open it.
    const { data: rules } = (await t.send(as.admin, "GET", "/escalation-rules")).body as { data: { id: string; name: string }[] };
    const legal = rules.find((r) => r.name === "Legal threats to management")!;
    expect(edges.filter((e) => e.kind === "rule" && (e as { ruleId?: string }).ruleId === legal.id).map((e) => e.label)).toEqual(["Legal threats to management (hierarchical, legal_risk)"]);
    const customer = await t.signIn(customers.carol.email);
    expectProblem(await t.send(customer, "GET", "/policy/paths"), 403, "forbidden");
  });
});
