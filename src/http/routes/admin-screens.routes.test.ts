import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { levels } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

// The two endpoints the admin screens needed: editing a level, and the rules' dry run on an existing ticket.
describe("endpoints of the admin screens", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const { teams } = h.org;
  const unique = () => randomUUID().slice(0, 8);
  let rank = 500;

  async function newLevel() {
    const res = await t.send(as.admin, "POST", "/levels", { name: `Tier ${unique()}`, rank: rank++ });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; name: string; rank: number };
  }

  describe("PATCH /levels/{id}", () => {
    it("renames a level and changes its rank, for an admin", async () => {
      const level = await newLevel();
      const name = `Renamed ${unique()}`;
      const res = await t.send(as.admin, "PATCH", `/levels/${level.id}`, { name, rank: rank++ });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: level.id, name, rank: rank - 1 });
      const listed = await t.all(as.admin, "/levels");
      expect(listed.find((l) => l.id === level.id)).toMatchObject({ name, rank: rank - 1 });
    });

    it("refuses a rank another level holds, and changes nothing", async () => {
      const a = await newLevel();
      const b = await newLevel();
      const res = await t.send(as.admin, "PATCH", `/levels/${b.id}`, { name: `Other ${unique()}`, rank: a.rank });
      expectProblem(res, 409, "level_exists");
      const [row] = await h.store.db.select().from(levels).where(eq(levels.id, b.id));
      expect(row).toMatchObject({ name: b.name, rank: b.rank });
    });

    it("refuses bad input with the failing field, an empty change, and an unknown level", async () => {
      const level = await newLevel();
      expectInvalid(await t.send(as.admin, "PATCH", `/levels/${level.id}`, { rank: -1 }), ["body.rank"]);
      expectProblem(await t.send(as.admin, "PATCH", `/levels/${level.id}`, {}), 400, "validation_failed");
      expectProblem(await t.send(as.admin, "PATCH", `/levels/${randomUUID()}`, { name: "Nobody" }), 404, "level_not_found");
    });

    it("is refused to a lead and a manager: only admins change levels", async () => {
      const level = await newLevel();
      expectProblem(await t.send(as.lena, "PATCH", `/levels/${level.id}`, { name: "Lead's" }), 403, "forbidden");
      expectProblem(await t.send(as.mark, "PATCH", `/levels/${level.id}`, { name: "Manager's" }), 403, "forbidden");
      const [row] = await h.store.db.select().from(levels).where(eq(levels.id, level.id));
      expect(row?.name).toBe(level.name);
    });
  });

  describe("POST /policy/evaluate-ticket", () => {
    const word = `zebra${unique()}`;
    const ruleName = `Dry run ${unique()}`;
    const rule = t.send(as.admin, "POST", "/escalation-rules", {
      name: ruleName,
      position: 5,
      triggers: ["message.received"],
      conditions: [
        { field: "text", op: "contains_any", value: [word] },
        { field: "priority", op: "in", value: ["high"] },
      ],
      actions: [{ type: "escalate", kind: "functional", teamId: teams.billing.id, reason: "needs_expertise" }],
    });

    it("says which rules an existing ticket would fire, reading it as it is now, without writing", async () => {
      expect((await rule).status).toBe(201);
      const ticket = await t.openTicket({ subject: "Printer", description: `It will not print: ${word}.`, customer: uniqueCustomer(), priority: "normal" });
      const before = await t.timeline(ticket.id);

      const quiet = await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: ticket.number, trigger: "message.received" });
      expect(quiet.status, quiet.text).toBe(200);
      expect(quiet.body.ticket).toEqual({ id: ticket.id, number: ticket.number, subject: "Printer" });
      expect(quiet.body.matched.map((m: { rule: string }) => m.rule), "normal priority does not match").not.toContain(ruleName);

      await t.patch(ticket.id, { priority: "high" });
      const fires = await t.send(as.lena, "POST", "/policy/evaluate-ticket", { number: ticket.number, trigger: "message.received" });
      expect(fires.status, fires.text).toBe(200);
      const hit = fires.body.matched.find((m: { rule: string }) => m.rule === ruleName);
      expect(hit).toMatchObject({ actions: [{ type: "escalate", kind: "functional", teamId: teams.billing.id }], keywords: [{ keyword: word }] });

      // Only the rule's triggers fire it.
      const created = await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: ticket.number, trigger: "ticket.created" });
      expect(created.body.matched.map((m: { rule: string }) => m.rule)).not.toContain(ruleName);

      // Nothing written by the dry runs: the timeline grew by the priority change alone, and no escalation.
      const after = await t.timeline(ticket.id);
      expect(after.filter((e) => e.type === "rule.fired" && e.data.rule === ruleName)).toHaveLength(0);
      expect(after.slice(before.length).map((e) => e.type)).not.toContain("escalation.created");
      expect(await t.escalations(ticket.id)).toHaveLength(0);
    });

    it("does not read internal notes as the customer's words", async () => {
      expect((await rule).status).toBe(201);
      const ticket = await t.openTicket({ subject: "Scanner", description: "It will not scan.", customer: uniqueCustomer(), priority: "high" });
      const note = await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { kind: "internal", body: `note ${word}` });
      expect(note.status, note.text).toBe(201);
      const res = await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: ticket.number, trigger: "message.received" });
      expect(res.status, res.text).toBe(200);
      expect(res.body.matched.map((m: { rule: string }) => m.rule)).not.toContain(ruleName);
    });

    it("answers 404 for a ticket that does not exist, 400 for a bad number, 403 for a customer", async () => {
      expectProblem(await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: 2_000_000_000 }), 404, "ticket_not_found");
      expectInvalid(await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: "one" }), ["body.number"]);
      expectInvalid(await t.send(as.admin, "POST", "/policy/evaluate-ticket", { number: 1, trigger: "never" }), ["body.trigger"]);
      const customer = uniqueCustomer();
      const ticket = await t.openTicket({ customer });
      const carol = await t.signIn("carol@customer.test");
      expectProblem(await t.send(carol, "POST", "/policy/evaluate-ticket", { number: ticket.number }), 403, "forbidden");
    });
  });
});
