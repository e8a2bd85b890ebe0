import { describe, expect, it } from "vitest";
import { DeadlineEngine } from "../../engine/deadline-engine.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Issue 9 item 10: "next level" goes to the next-level team owning the ticket's category, then that
 * level's management team, then its frontline team; the least loaded among several; the timeline says why.
 * The organisation: L1 Frontline; L2 Billing and Technical (specialists); L3 Management.
 */
describe("the default hierarchical target", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const { teams } = h.org;
  const whyOf = async (ticketId: string) => (await t.timeline(ticketId)).filter((e: Json) => e.type === "escalation.created").map((e: Json) => e.data.why);

  it("lets an admin set the categories a team owns, and nobody else", async () => {
    const res = await t.send(as.admin, "PATCH", `/teams/${teams.technical.id}`, { categories: [" printer ", "scanner", "printer"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id: teams.technical.id, name: "Technical", categories: ["printer", "scanner"] });
    expectProblem(await t.send(as.lena, "PATCH", `/teams/${teams.billing.id}`, { categories: ["printer"] }), 403, "forbidden");
    expectInvalid(await t.send(as.admin, "PATCH", `/teams/${teams.billing.id}`, { categories: ["ok", "  "] }), ["body.categories.1"]);
    expectProblem(await t.send(as.admin, "PATCH", "/teams/00000000-0000-4000-8000-000000000000", { categories: [] }), 404, "team_not_found");
    const list = await t.all(as.admin, "/teams");
    expect(list.find((x: Json) => x.id === teams.billing.id).categories).toEqual([]);
    expect(list.find((x: Json) => x.id === teams.technical.id).categories).toEqual(["printer", "scanner"]);
  });

  it("creates a team with its categories", async () => {
    const res = await t.send(as.admin, "POST", "/teams", { name: "Field Service", levelId: h.org.levels.l3.id, kind: "specialist", categories: ["onsite"] });
    expect(res.status, res.text).toBe(201);
    expect(res.body.categories).toEqual(["onsite"]);
    expect((await t.send(as.admin, "POST", "/teams", { name: "Plain", levelId: h.org.levels.l3.id, kind: "specialist" })).body.categories).toEqual([]);
  });

  it("sends an L1 printer problem to the L2 team owning printers, not the first team by name, and says why", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Printer jams", description: "Paper jam on every page.", category: "Printer" });
    const e = await t.escalate(ticket.id, { kind: "hierarchical", reason: "complaint" });
    expect(e).toMatchObject({ toLevelId: h.org.levels.l2.id, toTeamId: teams.technical.id });
    expect(await whyOf(ticket.id)).toEqual(["owns category Printer"]);
  });

  it("among several candidates takes the least loaded team, and says so", async () => {
    // Technical now holds the printer ticket (1 open); Billing none. Nobody owns "warranty"; L2 has no management or frontline team.
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Warranty", description: "Is my device covered?", category: "warranty" });
    const e = await t.escalate(ticket.id, { kind: "hierarchical", reason: "complaint" });
    expect(e.toTeamId).toBe(teams.billing.id);
    expect(await whyOf(ticket.id)).toEqual(["team of L2; lowest open load 0"]);
    // From L2, the management team of L3 (Field Service and Plain are specialists there).
    const up = await t.escalate(ticket.id, { kind: "hierarchical", reason: "complaint" }, as.bob);
    expect(up.toTeamId).toBe(teams.management.id);
    expect((await whyOf(ticket.id))[1]).toBe("management team of L3");
  });

  it("is the same choice for a rule's hierarchical escalation", async () => {
    const rule = await t.send(as.admin, "POST", "/escalation-rules", {
      name: "Scanners up",
      conditions: [{ field: "category", op: "in", value: ["scanner"] }],
      actions: [{ type: "escalate", kind: "hierarchical", reason: "needs_expertise" }],
    });
    expect(rule.status, rule.text).toBe(201);
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Scanner", description: "Scans come out blank.", category: "scanner" });
    expect((await t.ticket(ticket.id)).teamId).toBe(teams.technical.id);
    expect(await whyOf(ticket.id)).toEqual(["owns category scanner"]);
    const fired = (await t.timeline(ticket.id)).find((e: Json) => e.type === "rule.fired");
    expect(fired.data.actions[0]).toMatchObject({ type: "escalate", teamId: teams.technical.id, why: "owns category scanner" });
  });

  it("is the same choice for an SLA policy's automatic escalation to the next level", async () => {
    const policy = await t.send(as.admin, "POST", "/sla-policies", {
      name: "Printers fast",
      targets: { resolution: { normal: "PT1H" } },
      steps: [{ type: "escalate", metric: "resolution", to: { kind: "next_level" } }],
      conditions: { categories: ["printer"] },
    });
    expect(policy.status, policy.text).toBe(201);
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Printer offline", description: "It says offline.", category: "printer" });
    h.clock.advance(61 * 60_000);
    const engine = new DeadlineEngine({ store: h.store, clock: h.clock });
    await engine.drainDue();
    await engine.drainDue();
    const [e] = await t.escalations(ticket.id);
    expect(e).toMatchObject({ kind: "automatic", reason: "sla_breach", toTeamId: teams.technical.id });
    expect(await whyOf(ticket.id)).toEqual(["owns category printer"]);
  });
});
