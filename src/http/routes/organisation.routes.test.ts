import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, customers } from "../../db/schema.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { startHarness, type ApiResponse } from "../../test-support/harness.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

type Row = { id: string } & Record<string, unknown>;


/** A cursor built by hand (as an attacker would), in the API's opaque format. */
const forgedCursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");

describe("organisation", async () => {
  const h = await startHarness();
  const { admin, alice, lena, mark } = h.org.agents;
  const tag = () => randomUUID().slice(0, 8);
  let nextRank = 100;
  const freshRank = () => nextRank++;

  const login = await h.api("POST", "/api/v1/auth/login", { body: { email: "carol@customer.test", password: TEST_PASSWORD } });
  const carolCookie = String(([] as unknown[]).concat(login.headers["set-cookie"]).find((c) => String(c).startsWith("tierline_session="))).split(";")[0]!;

  const post = (path: string, body: unknown, token = admin.token) => h.api("POST", `/api/v1${path}`, { token, body });
  const get = (path: string, token = admin.token) => h.api("GET", `/api/v1${path}`, { token });

  /** Every row of a list in one request (the lists here stay far below the 200 maximum). */
  async function listAll(path: string): Promise<Row[]> {
    const res = await get(`${path}${path.includes("?") ? "&" : "?"}limit=200`);
    expect(res.status, res.text).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.data;
  }

  /** Every row of a list, two at a time, following nextCursor until it is null. */
  async function pageThrough(path: string): Promise<Row[]> {
    const rows: Row[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await get(`${path}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      rows.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (cursor === null) return rows;
      expect(res.body.data).toHaveLength(2);
    }
    throw new Error(`${path}: pagination did not end`);
  }

  /** Pages through a list and checks it yields exactly the full list, in order, without duplicates. */
  async function expectPaginationComplete(path: string, mustInclude: string[]) {
    const paged = await pageThrough(path);
    const ids = paged.map((r) => r.id);
    expect(new Set(ids).size, "no duplicates").toBe(ids.length);
    expect(ids).toEqual((await listAll(path)).map((r) => r.id));
    expect(ids).toEqual(expect.arrayContaining(mustInclude));
    return paged;
  }

  /** Asserts a response never carries a password or its hash. */
  function expectNoSecrets(res: ApiResponse) {
    expect(res.text).not.toMatch(/password/i);
    expect(res.text).not.toContain("$argon2");
  }

  describe("levels", () => {
    it("creates a level: 201 with its shape", async () => {
      const name = `Level ${tag()}`;
      const rank = freshRank();
      const res = await post("/levels", { name: `  ${name}  `, rank });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(UUID), name, rank, createdAt: h.clock.now().toISOString() });
      expect((await listAll("/levels")).map((l) => l.id)).toContain(res.body.id);
    });

    it("lists levels lowest rank first and pages through them with a cursor", async () => {
      const created: string[] = [];
      for (let i = 0; i < 3; i++) created.push((await post("/levels", { name: `Page level ${tag()}`, rank: freshRank() })).body.id);
      const paged = await expectPaginationComplete("/levels", [...created, h.org.levels.l1.id]);
      const ranks = paged.map((l) => l.rank as number);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    });

    it("rejects invalid levels with 400 validation_failed naming each failing field", async () => {
      expectInvalid(await post("/levels", { rank: freshRank() }), ["body.name"]);
      expectInvalid(await post("/levels", { name: "   ", rank: freshRank() }), ["body.name"]);
      expectInvalid(await post("/levels", { name: `Lv ${tag()}`, rank: 1.5 }), ["body.rank"]);
      expectInvalid(await post("/levels", { name: `Lv ${tag()}`, rank: "2" }), ["body.rank"]);
      expectInvalid(await post("/levels", { name: `Lv ${tag()}`, rank: -1 }), ["body.rank"]);
      expectInvalid(await post("/levels", {}), ["body.name", "body.rank"]);
    });

    it("answers a duplicate name or rank with 409 level_exists and writes nothing", async () => {
      const before = (await listAll("/levels")).length;
      expectProblem(await post("/levels", { name: "L1", rank: freshRank() }), 409, "level_exists");
      expectProblem(await post("/levels", { name: " L2 ", rank: freshRank() }), 409, "level_exists");
      expectProblem(await post("/levels", { name: `Other ${tag()}`, rank: h.org.levels.l3.rank }), 409, "level_exists");
      expect((await listAll("/levels")).length).toBe(before);
    });

    it("lets only admins create levels (403 forbidden) but any agent list them", async () => {
      const name = `Forbidden ${tag()}`;
      for (const agent of [alice, lena, mark]) {
        expectProblem(await post("/levels", { name, rank: freshRank() }, agent.token), 403, "forbidden");
      }
      expect((await listAll("/levels")).map((l) => l.name)).not.toContain(name);
      expect((await get("/levels", alice.token)).status).toBe(200);
    });
  });

  describe("teams", () => {
    it("creates a team on a level: 201 with its shape", async () => {
      const name = `Team ${tag()}`;
      const res = await post("/teams", { name, levelId: h.org.levels.l2.id, kind: "specialist" });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        name,
        levelId: h.org.levels.l2.id,
        kind: "specialist",
        categories: [],
        createdAt: h.clock.now().toISOString(),
      });
    });

    it("lists teams by name and pages through them with a cursor", async () => {
      const created: string[] = [];
      // Equal names would be refused, so the id tie-break is exercised by the seeded teams' ordering only.
      for (const n of ["Zeta", "Alpha", "Mu", "Alpha2"]) {
        created.push((await post("/teams", { name: `${n} ${tag()}`, levelId: h.org.levels.l1.id, kind: "frontline" })).body.id);
      }
      const paged = await expectPaginationComplete("/teams", [...created, h.org.teams.billing.id]);
      const names = paged.map((t) => t.name as string);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it("rejects invalid teams with 400 validation_failed naming each failing field", async () => {
      expectInvalid(await post("/teams", { levelId: h.org.levels.l1.id, kind: "frontline" }), ["body.name"]);
      expectInvalid(await post("/teams", { name: `T ${tag()}`, levelId: h.org.levels.l1.id, kind: "helpdesk" }), ["body.kind"]);
      expectInvalid(await post("/teams", { name: `T ${tag()}`, levelId: "level-1", kind: "frontline" }), ["body.levelId"]);
      expectInvalid(await post("/teams", { name: "" }), ["body.name", "body.levelId", "body.kind"]);
    });

    it("answers an unknown levelId with 404 level_not_found and writes nothing", async () => {
      const name = `Orphan ${tag()}`;
      expectProblem(await post("/teams", { name, levelId: UNKNOWN_ID, kind: "frontline" }), 404, "level_not_found");
      expect((await listAll("/teams")).map((t) => t.name)).not.toContain(name);
    });

    it("answers a duplicate name with 409 team_exists", async () => {
      const before = (await listAll("/teams")).length;
      expectProblem(await post("/teams", { name: "Billing", levelId: h.org.levels.l2.id, kind: "specialist" }), 409, "team_exists");
      expect((await listAll("/teams")).length).toBe(before);
    });

    it("lets only admins create teams (403 forbidden)", async () => {
      const name = `Lead team ${tag()}`;
      expectProblem(await post("/teams", { name, levelId: h.org.levels.l1.id, kind: "frontline" }, lena.token), 403, "forbidden");
      expectProblem(await post("/teams", { name, levelId: h.org.levels.l1.id, kind: "frontline" }, mark.token), 403, "forbidden");
      expect((await listAll("/teams")).map((t) => t.name)).not.toContain(name);
    });
  });

  describe("agents", () => {
    const agentBody = (overrides: Record<string, unknown> = {}) => ({
      email: `agent-${tag()}@support.test`,
      name: `Agent ${tag()}`,
      role: "agent",
      ...overrides,
    });

    it("creates an agent: 201 with teams, skills and limits, and no password in the response", async () => {
      const body = agentBody({
        email: `New.Agent-${tag()}@Support.Test`,
        teamIds: [h.org.teams.billing.id, h.org.teams.technical.id, h.org.teams.billing.id],
        skills: ["refunds", "sepa"],
        authorityLimits: { refund: { amount: 100, currency: "eur" } },
        password: "a long enough password",
      });
      const res = await post("/agents", body);
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        email: body.email.toLowerCase(),
        name: body.name,
        role: "agent",
        teamIds: [h.org.teams.billing.id, h.org.teams.technical.id],
        skills: ["refunds", "sepa"],
        languages: ["en"],
        capacity: 10,
        authorityLimits: { refund: { amount: 100, currency: "EUR" } },
        calendarId: null,
        active: true,
        createdAt: h.clock.now().toISOString(),
      });
      expectNoSecrets(res);
      const listed = (await listAll("/agents")).find((a) => a.id === res.body.id);
      expect(listed).toEqual(res.body);
    });

    it("lists agents with their teams, never with password hashes, and pages through them", async () => {
      const created: string[] = [];
      for (let i = 0; i < 3; i++) created.push((await post("/agents", agentBody({ password: TEST_PASSWORD }))).body.id);
      const all = await listAll("/agents");
      expect(all.find((a) => a.id === alice.id)).toMatchObject({ email: alice.email, role: "agent", teamIds: [h.org.teams.frontline.id] });
      expect(all.find((a) => a.id === admin.id)).toMatchObject({ role: "admin", teamIds: [] });
      expectNoSecrets(await get("/agents?limit=200"));
      await expectPaginationComplete("/agents", [...created, alice.id, mark.id]);
    });

    it("rejects invalid agents with 400 validation_failed naming each failing field", async () => {
      expectInvalid(await post("/agents", agentBody({ role: "superuser" })), ["body.role"]);
      expectInvalid(await post("/agents", agentBody({ email: "not-an-email" })), ["body.email"]);
      expectInvalid(await post("/agents", agentBody({ name: undefined })), ["body.name"]);
      expectInvalid(await post("/agents", agentBody({ password: "short" })), ["body.password"]);
      expectInvalid(await post("/agents", agentBody({ teamIds: [h.org.teams.billing.id, "billing"] })), ["body.teamIds.1"]);
      expectInvalid(await post("/agents", agentBody({ authorityLimits: { refund: { amount: -5, currency: "EUR" } } })), ["body.authorityLimits.refund.amount"]);
      expectInvalid(await post("/agents", agentBody({ authorityLimits: { refund: { amount: 5, currency: "EURO" } } })), ["body.authorityLimits.refund.currency"]);
      expectInvalid(await post("/agents", agentBody({ authorityLimits: { refund: { amount: 5, currency: "XYZ" } } })), ["body.authorityLimits.refund.currency"]);
      expectInvalid(await post("/agents", agentBody({ authorityLimits: { refund: 100 } })), ["body.authorityLimits.refund"]);
      const unknownType = await post("/agents", agentBody({ authorityLimits: { refund_eur: { amount: 5, currency: "EUR" } } }));
      expectInvalid(unknownType, ["body.authorityLimits"]);
      expect(unknownType.body.errors[0].message).toContain("refund_eur");
      expectInvalid(await post("/agents", { role: "agent" }), ["body.email", "body.name"]);
    });

    it("answers a duplicate e-mail address, in any case, with 409 agent_exists and writes nothing", async () => {
      const before = (await listAll("/agents")).length;
      expectProblem(await post("/agents", agentBody({ email: "ALICE@support.test" })), 409, "agent_exists");
      expectProblem(await post("/agents", agentBody({ email: alice.email, teamIds: [h.org.teams.billing.id] })), 409, "agent_exists");
      expect((await listAll("/agents")).length).toBe(before);
    });

    it("answers unknown teamIds with 404 team_not_found and writes nothing", async () => {
      const before = (await listAll("/agents")).length;
      const body = agentBody({ teamIds: [h.org.teams.frontline.id, UNKNOWN_ID], password: TEST_PASSWORD });
      const res = await post("/agents", body);
      expectProblem(res, 404, "team_not_found");
      expect(res.body.detail).toContain(UNKNOWN_ID);
      expect((await listAll("/agents")).length).toBe(before);
      // The half-made agent cannot sign in either.
      const login = await h.api("POST", "/api/v1/auth/login", { body: { email: body.email, password: TEST_PASSWORD } });
      expect(login.status).toBe(401);
    });

    it("lets only admins create agents (403 forbidden)", async () => {
      const body = agentBody();
      for (const agent of [alice, lena, mark]) expectProblem(await post("/agents", body, agent.token), 403, "forbidden");
      expect((await listAll("/agents")).map((a) => a.email)).not.toContain(body.email);
    });

    it("stores the password of a new agent hashed with argon2", async () => {
      const res = await post("/agents", agentBody({ password: "a long enough password" }));
      const [row] = await h.store.db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, res.body.id));
      expect(row!.hash).toMatch(/^\$argon2/);
    });
  });

  describe("accounts", () => {
    it("creates an account: 201 with its shape, standard tier by default", async () => {
      const name = `Acme ${tag()}`;
      const res = await post("/accounts", { name });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({ id: expect.stringMatching(UUID), name, tier: "standard", annualValue: null, createdAt: h.clock.now().toISOString() });

      const valued = await post("/accounts", { name: `Globex ${tag()}`, tier: "vip", annualValue: 250000.5 });
      expect(valued.status, valued.text).toBe(201);
      expect(valued.body).toMatchObject({ tier: "vip", annualValue: 250000.5 });
    });

    it("lets any staff member create accounts", async () => {
      const res = await post("/accounts", { name: `Initech ${tag()}` }, alice.token);
      expect(res.status, res.text).toBe(201);
    });

    it("lists accounts by name and pages through them", async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await post("/accounts", { name: `Paged account ${tag()}` })).body.id);
      await expectPaginationComplete("/accounts", created);
    });

    it("rejects invalid accounts with 400 validation_failed naming each failing field", async () => {
      expectInvalid(await post("/accounts", {}), ["body.name"]);
      expectInvalid(await post("/accounts", { name: `A ${tag()}`, tier: "gold" }), ["body.tier"]);
      expectInvalid(await post("/accounts", { name: `A ${tag()}`, annualValue: -1 }), ["body.annualValue"]);
      expectInvalid(await post("/accounts", { name: `A ${tag()}`, annualValue: "1000" }), ["body.annualValue"]);
    });

    it("refuses an annual value too large to store with 400, not a server error", async () => {
      const name = `Huge ${tag()}`;
      expectInvalid(await post("/accounts", { name, annualValue: 1e12 }), ["body.annualValue"]);
      expect((await listAll("/accounts")).map((a) => a.name)).not.toContain(name);
      const largest = await post("/accounts", { name, annualValue: 999_999_999_999.99 });
      expect(largest.status, largest.text).toBe(201);
      expect(largest.body.annualValue).toBe(999_999_999_999.99);
    });

    it("answers a duplicate name with 409 account_exists", async () => {
      const name = `Dup account ${tag()}`;
      expect((await post("/accounts", { name })).status).toBe(201);
      const before = (await listAll("/accounts")).length;
      expectProblem(await post("/accounts", { name }), 409, "account_exists");
      expect((await listAll("/accounts")).length).toBe(before);
    });
  });

  describe("customers", () => {
    it("creates a customer: 201 with its shape and no password in the response", async () => {
      const email = `Jo-${tag()}@Customer.Test`;
      const res = await post("/customers", { email, name: "Jo", password: "a long enough password" });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        email: email.toLowerCase(),
        name: "Jo",
        accountId: null,
        tier: "standard",
        unverified: false,
        createdAt: h.clock.now().toISOString(),
      });
      expectNoSecrets(res);
      const [row] = await h.store.db.select({ hash: customers.passwordHash }).from(customers).where(eq(customers.id, res.body.id));
      expect(row!.hash).toMatch(/^\$argon2/);
      // The password lets the customer sign in to the portal.
      const login = await h.api("POST", "/api/v1/auth/login", { body: { email, password: "a long enough password" } });
      expect(login.status, login.text).toBe(200);
      expect(login.body.user).toMatchObject({ kind: "customer", id: res.body.id });
    });

    it("gives a customer their account's tier unless one is given", async () => {
      const account = await post("/accounts", { name: `Tiered ${tag()}`, tier: "priority" });
      const inherits = await post("/customers", { email: `a-${tag()}@customer.test`, name: "Ann", accountId: account.body.id });
      expect(inherits.status, inherits.text).toBe(201);
      expect(inherits.body).toMatchObject({ accountId: account.body.id, tier: "priority" });
      const explicit = await post("/customers", { email: `b-${tag()}@customer.test`, name: "Ben", accountId: account.body.id, tier: "vip" });
      expect(explicit.body).toMatchObject({ accountId: account.body.id, tier: "vip" });
    });

    it("lists customers, filtered by account or e-mail, and pages through them", async () => {
      const account = await post("/accounts", { name: `Listed ${tag()}` });
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await post("/customers", { email: `list-${tag()}@customer.test`, name: `Listed ${i}`, accountId: account.body.id }, alice.token);
        expect(res.status, res.text).toBe(201);
        created.push(res.body.id);
      }
      const ofAccount = await expectPaginationComplete(`/customers?accountId=${account.body.id}`, created);
      expect(ofAccount.map((c) => c.id).sort()).toEqual([...created].sort());
      await expectPaginationComplete("/customers", [...created, h.org.customers.carol.id]);

      const byEmail = await get("/customers?email=CAROL@customer.test");
      expect(byEmail.body.data.map((c: Row) => c.id)).toEqual([h.org.customers.carol.id]);
      expectNoSecrets(await get("/customers?limit=200"));
    });

    it("rejects invalid customers with 400 validation_failed naming each failing field", async () => {
      expectInvalid(await post("/customers", { email: "nope", name: "X" }), ["body.email"]);
      expectInvalid(await post("/customers", { email: `c-${tag()}@customer.test` }), ["body.name"]);
      expectInvalid(await post("/customers", { email: `c-${tag()}@customer.test`, name: "X", tier: "platinum" }), ["body.tier"]);
      expectInvalid(await post("/customers", { email: `c-${tag()}@customer.test`, name: "X", accountId: "acme" }), ["body.accountId"]);
      expectInvalid(await post("/customers", { email: `c-${tag()}@customer.test`, name: "X", password: "short" }), ["body.password"]);
      expectInvalid(await get("/customers?accountId=acme"), ["querystring.accountId"]);
    });

    it("answers an unknown accountId with 404 account_not_found and writes nothing", async () => {
      const email = `orphan-${tag()}@customer.test`;
      expectProblem(await post("/customers", { email, name: "Orphan", accountId: UNKNOWN_ID }), 404, "account_not_found");
      expect((await get(`/customers?email=${email}`)).body.data).toEqual([]);
    });

    it("answers a duplicate e-mail address, in any case, with 409 customer_exists", async () => {
      const before = (await listAll("/customers")).length;
      expectProblem(await post("/customers", { email: "Carol@Customer.Test", name: "Carol again" }), 409, "customer_exists");
      expect((await listAll("/customers")).length).toBe(before);
    });
  });

  describe("what customers may do", () => {
    it("forbids a signed-in customer to list or create organisation and customer records (403)", async () => {
      const asCarol = (method: "GET" | "POST", path: string, body?: unknown) =>
        h.api(method, `/api/v1${path}`, { cookie: carolCookie, ...(body ? { body } : {}) });
      expect((await asCarol("GET", "/auth/me")).status, "the customer is signed in").toBe(200);
      for (const path of ["/customers", "/agents", "/accounts", "/levels", "/teams"]) {
        expectProblem(await asCarol("GET", path), 403, "forbidden");
      }
      expectProblem(await asCarol("POST", "/customers", { email: `x-${tag()}@customer.test`, name: "X" }), 403, "forbidden");
      expectProblem(await asCarol("POST", "/accounts", { name: `Carol Corp ${tag()}` }), 403, "forbidden");
      expectProblem(await asCarol("POST", "/levels", { name: `Carol level ${tag()}`, rank: freshRank() }), 403, "forbidden");
      expectProblem(await asCarol("POST", "/agents", { email: `x-${tag()}@support.test`, name: "X", role: "admin" }), 403, "forbidden");
    });
  });

  describe("cursors and limits", () => {
    const lists = ["/levels", "/teams", "/agents", "/accounts", "/customers"];

    it("answers a garbage cursor with 400 validation_failed on cursor", async () => {
      for (const path of lists) {
        for (const cursor of ["garbage", "%%%", forgedCursor({ not: "a key" }), forgedCursor([])]) {
          const res = await get(`${path}?cursor=${encodeURIComponent(cursor)}`);
          expectProblem(res, 400, "validation_failed");
          expect(res.body.errors.map((e: { path: string }) => e.path).join(" "), `${path} ${cursor}`).toContain("cursor");
        }
      }
    });

    it("answers a well-formed cursor with impossible values with 400, not a server error", async () => {
      const cases: [string, unknown][] = [
        ["/levels", [1e15]],
        ["/levels", [1.5]],
        ["/levels", ["L1"]],
        ["/teams", ["Billing", "not-a-uuid"]],
        ["/agents", ["Alice", "not-a-uuid"]],
        ["/accounts", ["Acme", 42]],
        ["/customers", ["Carol", "not-a-uuid"]],
        ["/customers", ["Carol\u0000", UNKNOWN_ID]],
      ];
      for (const [path, key] of cases) {
        const res = await get(`${path}?cursor=${forgedCursor(key)}`);
        expect(res.status, `${path} ${JSON.stringify(key)}: ${res.text}`).toBe(400);
        expect(res.body.code).toBe("validation_failed");
      }
    });

    it("rejects a cursor from another list", async () => {
      const teams = await get("/teams?limit=1");
      expect(teams.body.nextCursor).toEqual(expect.any(String));
      expectProblem(await get(`/levels?cursor=${teams.body.nextCursor}`), 400, "validation_failed");
    });

    it("rejects limits outside 1..200 with 400 on querystring.limit", async () => {
      for (const limit of ["0", "201", "-1", "two", "1.5"]) {
        expectInvalid(await get(`/agents?limit=${limit}`), ["querystring.limit"]);
      }
    });
  });
});
