import { describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../../test-support/factories.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer, type Caller } from "../../test-support/ticket-api.js";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/** PATCH and DELETE /agents/{id} (issue 9, item 15) and the wording of organisation refusals (item 6). */
describe("agents API", async () => {
  // Each hire signs in once: more sign-ins than the default per-minute limit allows.
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "1000" });
  const t = ticketApi(h);
  const { as, send } = t;
  const { teams } = h.org;
  const carol = await t.signIn("carol@customer.test");

  let hired = 0;
  /** A new Billing agent with a password and an API token; returns id, email, a session and a token caller. */
  async function hire(body: Record<string, unknown> = {}): Promise<{ id: string; email: string; session: Caller; token: Caller }> {
    hired += 1;
    const email = `hire-${hired}-${Date.now()}@agents.test`;
    const res = await send(as.admin, "POST", "/agents", { email, name: `Hire ${hired}`, role: "agent", teamIds: [teams.billing.id], password: TEST_PASSWORD, ...body });
    expect(res.status, res.text).toBe(201);
    const session = await t.signIn(email);
    const tok = await send(session, "POST", "/api-tokens", { name: "integration" });
    expect(tok.status, tok.text).toBe(201);
    return { id: res.body.id, email, session, token: { token: tok.body.token } };
  }
  const agentById = async (id: string): Promise<Json> => (await t.all(as.admin, "/agents")).find((a) => a.id === id);

  describe("PATCH /agents/{id}", () => {
    it("changes name, role, teams, skills, languages and capacity", async () => {
      const a = await hire();
      const res = await send(as.admin, "PATCH", `/agents/${a.id}`, {
        name: "  Renée Dubois ",
        role: "lead",
        teamIds: [teams.technical.id, teams.billing.id, teams.technical.id],
        skills: ["billing", "printers"],
        languages: ["FR", "de", "pt-BR", "fr"],
        capacity: 4,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ name: "Renée Dubois", role: "lead", skills: ["billing", "printers"], languages: ["fr", "de", "pt-br"], capacity: 4, active: true });
      expect(new Set(res.body.teamIds)).toEqual(new Set([teams.technical.id, teams.billing.id]));
      expect(await agentById(a.id)).toEqual(res.body);
    });

    it("changes one field and leaves the rest", async () => {
      const a = await hire({ skills: ["billing"] });
      const before = await agentById(a.id);
      const res = await send(as.admin, "PATCH", `/agents/${a.id}`, { capacity: 0 });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ ...before, capacity: 0 });
    });

    it.each([
      ["a negative capacity", { capacity: -1 }, ["body.capacity"]],
      ["a fractional capacity", { capacity: 2.5 }, ["body.capacity"]],
      ["a language that is not a tag", { languages: ["Deutsch!"] }, ["body.languages.0"]],
      ["no languages", { languages: [] }, ["body.languages"]],
      ["an unknown role", { role: "boss" }, ["body.role"]],
      ["a blank name", { name: "   " }, ["body.name"]],
      ["nothing to change", {}, ["body"]],
    ])("refuses %s with 400 naming the field, changing nothing", async (_label, body, paths) => {
      const a = await hire();
      const before = await agentById(a.id);
      expectInvalid(await send(as.admin, "PATCH", `/agents/${a.id}`, body), paths);
      expect(await agentById(a.id)).toEqual(before);
    });

    it("refuses a field it does not change (email, password) with 400", async () => {
      const a = await hire();
      const res = await send(as.admin, "PATCH", `/agents/${a.id}`, { email: "other@agents.test", name: "X" });
      expectProblem(res, 400, "validation_failed");
      expect((await agentById(a.id)).name).not.toBe("X");
    });

    it("refuses an unknown team with 404 team_not_found and keeps the memberships", async () => {
      const a = await hire();
      expectProblem(await send(as.admin, "PATCH", `/agents/${a.id}`, { teamIds: [teams.technical.id, UNKNOWN_ID], name: "Moved" }), 404, "team_not_found");
      expect(await agentById(a.id)).toMatchObject({ teamIds: [teams.billing.id], name: expect.not.stringMatching(/^Moved$/) });
    });

    it("answers 404 agent_not_found for an unknown agent", async () => {
      expectProblem(await send(as.admin, "PATCH", `/agents/${UNKNOWN_ID}`, { capacity: 3 }), 404, "agent_not_found");
    });

    it("is for admins only: managers, leads, agents and customers are refused with a message naming agents", async () => {
      const a = await hire();
      const before = await agentById(a.id);
      for (const who of [as.mark, as.lena, as.alice]) {
        const res = await send(who, "PATCH", `/agents/${a.id}`, { capacity: 50 });
        expectProblem(res, 403, "forbidden");
        expect(res.body.detail).toBe("Only an admin may change agents.");
      }
      expectProblem(await send(carol, "PATCH", `/agents/${a.id}`, { capacity: 50 }), 403, "forbidden");
      expect(await agentById(a.id)).toEqual(before);
    });

    it("does not let an admin demote or deactivate themselves", async () => {
      const me = h.org.agents.admin.id;
      expectProblem(await send(as.admin, "PATCH", `/agents/${me}`, { role: "agent" }), 403, "forbidden");
      expectProblem(await send(as.admin, "PATCH", `/agents/${me}`, { active: false }), 403, "forbidden");
      expect(await agentById(me)).toMatchObject({ role: "admin", active: true });
      expect((await send(as.admin, "PATCH", `/agents/${me}`, { languages: ["en", "nl"] })).status).toBe(200);
    });

    it("lets language routing pick the agent whose languages were set through PATCH", async () => {
      const team = await send(as.admin, "POST", "/teams", { name: `Polyglots ${Date.now()}`, levelId: h.org.levels.l2.id, kind: "specialist" });
      expect(team.status, team.text).toBe(201);
      const english = await hire({ teamIds: [team.body.id] });
      const german = await hire({ teamIds: [team.body.id] });
      expect((await send(as.admin, "PATCH", `/agents/${german.id}`, { languages: ["de", "en"] })).status).toBe(200);
      for (let i = 0; i < 3; i++) {
        const ticket = await t.openTicket({ customer: uniqueCustomer(), tags: ["lang:de"] });
        await t.escalate(ticket.id, { kind: "functional", toTeamId: team.body.id });
        const res = await send(as.admin, "POST", `/tickets/${ticket.id}/auto-assign`, {});
        expect(res.status, res.text).toBe(200);
        expect(res.body.routing.agentId).toBe(german.id);
        expect(res.body.routing.why).toContain("speaks de");
      }
      expect(english.id).not.toBe(german.id);
    });
  });

  describe("DELETE /agents/{id}", () => {
    it("deactivates: no sign-in, sessions and tokens stop working, no routed work, tickets back to the team, history kept", async () => {
      const a = await hire();
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: a.id });
      const reply = await send(a.token, "POST", `/tickets/${ticket.id}/messages`, { kind: "public", body: "Looking into it." });
      expect(reply.status, reply.text).toBe(201);

      const res = await send(as.admin, "DELETE", `/agents/${a.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ id: a.id, active: false });

      expectProblem(await send(a.session, "GET", "/tickets"), 401, "unauthenticated");
      expectProblem(await send(a.token, "GET", "/tickets"), 401, "unauthenticated");
      expectProblem(await send(undefined, "POST", "/auth/login", { email: a.email, password: TEST_PASSWORD }), 401, "invalid_credentials");

      const after = await t.ticket(ticket.id);
      expect(after.assigneeId).toBeNull();
      const events = await t.timeline(ticket.id);
      expect(events.at(-1)).toMatchObject({ type: "ticket.updated", data: { changes: { assigneeId: { from: a.id, to: null } } } });
      // History stays: their reply and its author.
      const messages = (await send(as.admin, "GET", `/tickets/${ticket.id}/messages`)).body.data as Json[];
      expect(messages.find((m) => m.id === reply.body.id)).toMatchObject({ authorAgentId: a.id });
      expect(await agentById(a.id)).toMatchObject({ active: false });

      // Routing gives them nothing, though they are still in Billing.
      for (let i = 0; i < 3; i++) {
        const next = await t.openTicket({ customer: uniqueCustomer() });
        await t.escalate(next.id, { kind: "functional", toTeamId: teams.billing.id });
        const routed = await send(as.admin, "POST", `/tickets/${next.id}/auto-assign`, {});
        expect(routed.body.routing.agentId).not.toBe(a.id);
      }
      // Deactivating again changes nothing.
      expect((await send(as.admin, "DELETE", `/agents/${a.id}`)).status).toBe(200);
    });

    it("PATCH active:false deactivates the same way, and active:true lets them sign in again", async () => {
      const a = await hire();
      expect((await send(as.admin, "PATCH", `/agents/${a.id}`, { active: false })).body.active).toBe(false);
      expectProblem(await send(a.token, "GET", "/tickets"), 401, "unauthenticated");
      expect((await send(as.admin, "PATCH", `/agents/${a.id}`, { active: true })).body.active).toBe(true);
      // The old token stays revoked; signing in works again.
      expectProblem(await send(a.token, "GET", "/tickets"), 401, "unauthenticated");
      const again = await t.signIn(a.email);
      expect((await send(again, "GET", "/tickets")).status).toBe(200);
    });

    it("is for admins only, and not on oneself", async () => {
      const a = await hire();
      for (const who of [as.mark, as.lena, as.alice]) {
        const res = await send(who, "DELETE", `/agents/${a.id}`);
        expectProblem(res, 403, "forbidden");
        expect(res.body.detail).toBe("Only an admin may change agents.");
      }
      expectProblem(await send(carol, "DELETE", `/agents/${a.id}`), 403, "forbidden");
      expect((await send(a.token, "GET", "/tickets")).status).toBe(200);
      const self = await send(as.admin, "DELETE", `/agents/${h.org.agents.admin.id}`);
      expectProblem(self, 403, "forbidden");
      expect(self.body.detail).toContain("cannot deactivate their own account");
      expectProblem(await send(as.admin, "DELETE", `/agents/${UNKNOWN_ID}`), 404, "agent_not_found");
    });
  });

  describe("refusals name what was refused", () => {
    it.each([
      ["POST /escalation-rules", "POST", "/escalation-rules", { name: "x", conditions: [], actions: [{ type: "notify", role: "lead" }] }, "Only an admin may change escalation rules."],
      ["PUT /authority-limits", "PUT", "/authority-limits", [], "Only an admin may change authority limits."],
      ["POST /levels", "POST", "/levels", { name: "L9", rank: 9 }, "Only an admin may change levels."],
      ["POST /teams", "POST", "/teams", { name: "T9", levelId: UNKNOWN_ID, kind: "frontline" }, "Only an admin may change teams."],
      ["POST /agents", "POST", "/agents", { email: "x9@agents.test", name: "X", role: "agent" }, "Only an admin may change agents."],
      ["POST /sla-policies", "POST", "/sla-policies", { name: "P9", targets: { first_response: { normal: "PT1H" } } }, "Only an admin may change SLA policies."],
    ] as const)("a manager on %s", async (_label, method, path, body, detail) => {
      const res = await send(as.mark, method, path, body);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toBe(detail);
    });
  });
});
