import { describe, expect, it } from "vitest";
import { ESCALATION_REASONS } from "../../domain/vocabulary.js";
import { startHarness } from "../../test-support/harness.js";
import { expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";
let seq = 0;
const tag = () => `${++seq}-${Date.now()}`;

/** The endpoints issue 9 lists as missing: API tokens, GET /escalations/{id}, reason codes, DELETE for SLA policies and rules. */
describe("missing endpoints", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const { agents, teams } = h.org;
  const carol = await t.signIn("carol@customer.test");

  const newToken = async (who: { token: string }, name = `token ${tag()}`) => {
    const res = await send(who, "POST", "/api-tokens", { name });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; token: string; name: string };
  };

  describe("GET /api-tokens and DELETE /api-tokens/{id}", () => {
    it("lists the caller's own tokens, never the token itself", async () => {
      const made = await newToken(as.tina);
      const res = await send(as.tina, "GET", "/api-tokens");
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.map((x: Json) => x.id)).toContain(made.id);
      expect(res.body.data.every((x: Json) => x.agentId === agents.tina.id)).toBe(true);
      expect(res.text).not.toContain(made.token);
      expect(res.body.data.find((x: Json) => x.id === made.id)).toEqual({
        id: made.id,
        name: made.name,
        agentId: agents.tina.id,
        createdAt: h.clock.now().toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      });
    });

    it("revokes a token: it stops working at once and stays listed as revoked", async () => {
      const made = await newToken(as.tina);
      expect((await send({ token: made.token }, "GET", "/tickets")).status).toBe(200);
      const res = await send(as.tina, "DELETE", `/api-tokens/${made.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.revokedAt).toBe(h.clock.now().toISOString());
      expectProblem(await send({ token: made.token }, "GET", "/tickets"), 401, "unauthenticated");
      const listed = (await send(as.tina, "GET", "/api-tokens")).body.data.find((x: Json) => x.id === made.id);
      expect(listed.revokedAt).toBe(res.body.revokedAt);
      h.clock.advance(1000);
      expect((await send(as.tina, "DELETE", `/api-tokens/${made.id}`)).body.revokedAt).toBe(res.body.revokedAt);
      // The caller's other token still works.
      expect((await send(as.tina, "GET", "/tickets")).status).toBe(200);
    });

    it("does not let an agent see or revoke another agent's token; an admin may", async () => {
      const made = await newToken(as.bob);
      expectProblem(await send(as.tina, "DELETE", `/api-tokens/${made.id}`), 404, "api_token_not_found");
      expectProblem(await send(as.mark, "DELETE", `/api-tokens/${made.id}`), 404, "api_token_not_found");
      const peek = await send(as.tina, "GET", `/api-tokens?agentId=${agents.bob.id}`);
      expectProblem(peek, 403, "forbidden");
      expect(peek.body.detail).toBe("Only an admin may see or revoke someone else's API tokens.");
      expect((await send({ token: made.token }, "GET", "/tickets")).status).toBe(200);

      const seen = await send(as.admin, "GET", `/api-tokens?agentId=${agents.bob.id}`);
      expect(seen.body.data.map((x: Json) => x.id)).toContain(made.id);
      expect((await send(as.admin, "DELETE", `/api-tokens/${made.id}`)).status).toBe(200);
      expectProblem(await send({ token: made.token }, "GET", "/tickets"), 401, "unauthenticated");
    });

    it("pages the list with a cursor, oldest first, and refuses a forged cursor", async () => {
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        h.clock.advance(1000);
        made.push((await newToken(as.bob)).id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Json = await send(as.bob, "GET", `/api-tokens?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        expect(page.status, page.text).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((x: Json) => x.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.filter((id) => made.includes(id))).toEqual(made);
      expect(new Set(seen).size).toBe(seen.length);
      expectProblem(await send(as.bob, "GET", "/api-tokens?cursor=forged"), 400, "validation_failed");
    });

    it("refuses customers, unknown ids and bad ids", async () => {
      expectProblem(await send(carol, "GET", "/api-tokens"), 403, "forbidden");
      expectProblem(await send(carol, "DELETE", `/api-tokens/${UNKNOWN_ID}`), 403, "forbidden");
      expectProblem(await send(as.tina, "DELETE", `/api-tokens/${UNKNOWN_ID}`), 404, "api_token_not_found");
      expectProblem(await send(as.tina, "DELETE", "/api-tokens/not-a-uuid"), 400, "validation_failed");
      expectProblem(await send(undefined, "GET", "/api-tokens"), 401, "unauthenticated");
    });
  });

  describe("GET /escalations/{id}", () => {
    it("returns an escalation to staff who see its ticket, 404 otherwise", async () => {
      const ticket = await t.openTicket({ customer: uniqueCustomer() });
      const e = await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id });
      for (const who of [as.alice, as.bob, as.mark, as.admin]) {
        const res = await send(who, "GET", `/escalations/${e.id}`);
        expect(res.status, res.text).toBe(200);
        expect(res.body).toEqual(e);
      }
      expectProblem(await send(as.tina, "GET", `/escalations/${e.id}`), 404, "escalation_not_found");
      expectProblem(await send(as.admin, "GET", `/escalations/${UNKNOWN_ID}`), 404, "escalation_not_found");
      expectProblem(await send(carol, "GET", `/escalations/${e.id}`), 403, "forbidden");
    });
  });

  describe("GET /escalation-reasons", () => {
    it("lists every reason code with a label and a description", async () => {
      const res = await send(as.alice, "GET", "/escalation-reasons");
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.map((r: Json) => r.code)).toEqual([...ESCALATION_REASONS]);
      expect(res.body.data.find((r: Json) => r.code === "vip_impact")).toEqual({ code: "vip_impact", label: "VIP impact", description: expect.any(String) });
      for (const r of res.body.data) expect(r.label.length).toBeGreaterThan(0);
      expect((await send(carol, "GET", "/escalation-reasons")).status).toBe(200);
      expectProblem(await send(undefined, "GET", "/escalation-reasons"), 401, "unauthenticated");
    });
  });

  describe("DELETE /sla-policies/{id}", () => {
    const createPolicy = async (category: string) => {
      const res = await send(as.admin, "POST", "/sla-policies", {
        name: `Policy ${tag()}`,
        conditions: { categories: [category] },
        targets: { first_response: { normal: "PT1H" } },
      });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };

    it("deletes a policy that never timed a ticket", async () => {
      const p = await createPolicy(`never-${tag()}`);
      const res = await send(as.admin, "DELETE", `/sla-policies/${p.id}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ id: p.id, outcome: "deleted" });
      expectProblem(await send(as.admin, "GET", `/sla-policies/${p.id}`), 404, "sla_policy_not_found");
    });

    it("retires a policy that timed a ticket: kept with active false, its clocks kept, new tickets no longer match it", async () => {
      const category = `timed-${tag()}`;
      const p = await createPolicy(category);
      const first = await t.openTicket({ customer: uniqueCustomer(), category });
      const clocksBefore = (await send(as.admin, "GET", `/tickets/${first.id}/clocks`)).body;
      expect(JSON.stringify(clocksBefore)).toContain(p.id);
      const res = await send(as.admin, "DELETE", `/sla-policies/${p.id}`);
      expect(res.body).toEqual({ id: p.id, outcome: "retired" });
      expect((await send(as.admin, "GET", `/sla-policies/${p.id}`)).body).toMatchObject({ id: p.id, active: false });
      expect((await send(as.admin, "GET", `/tickets/${first.id}/clocks`)).body).toEqual(clocksBefore);
      const second = await t.openTicket({ customer: uniqueCustomer(), category });
      expect(JSON.stringify((await send(as.admin, "GET", `/tickets/${second.id}/clocks`)).body)).not.toContain(p.id);
    });

    it("is for admins only, naming what was refused; unknown ids are 404", async () => {
      const p = await createPolicy(`kept-${tag()}`);
      for (const who of [as.mark, as.lena]) {
        const res = await send(who, "DELETE", `/sla-policies/${p.id}`);
        expectProblem(res, 403, "forbidden");
        expect(res.body.detail).toBe("Only an admin may change SLA policies.");
      }
      expect((await send(as.admin, "GET", `/sla-policies/${p.id}`)).body.active).toBe(true);
      expectProblem(await send(as.admin, "DELETE", `/sla-policies/${UNKNOWN_ID}`), 404, "sla_policy_not_found");
    });
  });

  describe("DELETE /escalation-rules/{id}", () => {
    const createRule = async (word: string) => {
      const res = await send(as.admin, "POST", "/escalation-rules", {
        name: `Rule ${tag()}`,
        conditions: [{ field: "text", op: "contains_any", value: [word] }],
        actions: [{ type: "notify", role: "lead" }],
      });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    const fired = async (ticketId: string) => (await t.timeline(ticketId)).filter((e) => e.type === "rule.fired").map((e) => e.data.rule as string);

    it("deletes a rule that never fired", async () => {
      const r = await createRule(`zebra${seq}`);
      const res = await send(as.admin, "DELETE", `/escalation-rules/${r.id}`);
      expect(res.body).toEqual({ id: r.id, outcome: "deleted" });
      expectProblem(await send(as.admin, "GET", `/escalation-rules/${r.id}`), 404, "rule_not_found");
    });

    it("retires a rule that fired: kept with active false, its firings kept, and it fires no more", async () => {
      const word = `okapi${seq}`;
      const r = await createRule(word);
      const first = await t.openTicket({ customer: uniqueCustomer(), description: `My ${word} is broken.` });
      expect(await fired(first.id)).toEqual([r.name]);
      const res = await send(as.admin, "DELETE", `/escalation-rules/${r.id}`);
      expect(res.body).toEqual({ id: r.id, outcome: "retired" });
      expect((await send(as.admin, "GET", `/escalation-rules/${r.id}`)).body).toMatchObject({ active: false });
      expect(await fired(first.id)).toEqual([r.name]);
      const second = await t.openTicket({ customer: uniqueCustomer(), description: `My ${word} is broken again.` });
      expect(await fired(second.id)).toEqual([]);
    });

    it("is for admins only, naming what was refused; unknown ids are 404", async () => {
      const r = await createRule(`lemur${seq}`);
      const res = await send(as.mark, "DELETE", `/escalation-rules/${r.id}`);
      expectProblem(res, 403, "forbidden");
      expect(res.body.detail).toBe("Only an admin may change escalation rules.");
      expect((await send(as.admin, "GET", `/escalation-rules/${r.id}`)).status).toBe(200);
      expectProblem(await send(as.admin, "DELETE", `/escalation-rules/${UNKNOWN_ID}`), 404, "rule_not_found");
    });
  });
});
