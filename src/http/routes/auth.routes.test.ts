import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, apiTokens, customers } from "../../db/schema.js";
import { TEST_PASSWORD } from "../../test-support/factories.js";
import { startHarness, type ApiResponse, type Harness } from "../../test-support/harness.js";

const PROBLEM_JSON = /^application\/problem\+json/;
const HOUR = 3_600_000;

/** The `tierline_session` Set-Cookie line of a response, or undefined. */
function sessionSetCookie(res: ApiResponse): string | undefined {
  const raw = res.headers["set-cookie"];
  const lines = (Array.isArray(raw) ? raw : [raw]).filter((l): l is string => typeof l === "string");
  return lines.find((l) => l.startsWith("tierline_session="));
}

/** Signs in and returns the response and the `name=value` pair a browser would send back. */
async function logIn(h: Harness, email: string, password = TEST_PASSWORD) {
  const res = await h.api("POST", "/api/v1/auth/login", { body: { email, password } });
  expect(res.status, res.text).toBe(200);
  const line = sessionSetCookie(res);
  expect(line, "login sets the session cookie").toBeDefined();
  return { res, line: line!, cookie: line!.split(";")[0]! };
}

function expectUnauthenticated(res: ApiResponse) {
  expect(res.status, res.text).toBe(401);
  expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
  expect(res.body.code).toBe("unauthenticated");
}

describe("authentication", async () => {
  // A generous login limit: the rate limit has its own harness below.
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "1000" });
  const { admin, alice } = h.org.agents;

  /** A fresh agent with a password (so tests that end or break its sign-in affect no one else). */
  async function newAgent(role = "agent", password: string | null = TEST_PASSWORD) {
    const email = `agent-${randomUUID().slice(0, 8)}@support.test`;
    const res = await h.api("POST", "/api/v1/agents", {
      token: admin.token,
      body: { email, name: `Agent ${email}`, role, ...(password ? { password } : {}) },
    });
    expect(res.status, res.text).toBe(201);
    return { id: res.body.id as string, email };
  }

  describe("POST /api/v1/auth/login", () => {
    it("signs an agent in: 200 {user} and a session cookie", async () => {
      const { res } = await logIn(h, alice.email);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.body).toEqual({ user: { kind: "agent", id: alice.id, email: alice.email, name: "Alice", role: "agent" } });
    });

    it("signs a customer in: 200 {user} with kind customer and no role", async () => {
      const { res } = await logIn(h, "carol@customer.test");
      expect(res.body).toEqual({
        user: { kind: "customer", id: h.org.customers.carol.id, email: "carol@customer.test", name: "Carol", role: null },
      });
    });

    it("matches the e-mail address case-insensitively and ignores surrounding spaces", async () => {
      const { res } = await logIn(h, "  ALICE@Support.Test ");
      expect(res.body.user.id).toBe(alice.id);
    });

    it("sets an HttpOnly, SameSite=Lax, signed cookie for the whole site that expires after the session TTL", async () => {
      const { line, cookie } = await logIn(h, alice.email);
      const attributes = line.split(";").map((a) => a.trim().toLowerCase());
      expect(attributes).toContain("httponly");
      expect(attributes).toContain("samesite=lax");
      expect(attributes).toContain("path=/");
      expect(attributes).not.toContain("secure"); // the default is plain HTTP on localhost
      const expires = line.split(";").find((a) => a.trim().toLowerCase().startsWith("expires="))!.split("=")[1]!;
      expect(new Date(expires).getTime()).toBe(h.clock.now().getTime() + h.config.sessionTtlHours * HOUR);

      const value = decodeURIComponent(cookie.slice("tierline_session=".length));
      expect(h.app.unsignCookie(value).valid).toBe(true);
    });

    it("lets the cookie authenticate GET /auth/me and other routes", async () => {
      const agent = await logIn(h, alice.email);
      const me = await h.api("GET", "/api/v1/auth/me", { cookie: agent.cookie });
      expect(me.status, me.text).toBe(200);
      expect(me.body.user).toMatchObject({ kind: "agent", id: alice.id, role: "agent" });
      const tickets = await h.api("GET", "/api/v1/tickets", { cookie: agent.cookie });
      expect(tickets.status, tickets.text).toBe(200);
      expect(tickets.body.data).toEqual(expect.any(Array));

      const customer = await logIn(h, "carol@customer.test");
      const carolMe = await h.api("GET", "/api/v1/auth/me", { cookie: customer.cookie });
      expect(carolMe.body.user).toMatchObject({ kind: "customer", id: h.org.customers.carol.id, role: null });
      const carolTickets = await h.api("GET", "/api/v1/tickets", { cookie: customer.cookie });
      expect(carolTickets.status, carolTickets.text).toBe(200);
    });

    it("answers a wrong password and an unknown e-mail alike: 401 invalid_credentials, no cookie", async () => {
      const wrongPassword = await h.api("POST", "/api/v1/auth/login", { body: { email: alice.email, password: "not the password" } });
      const unknownEmail = await h.api("POST", "/api/v1/auth/login", { body: { email: "nobody@support.test", password: TEST_PASSWORD } });
      for (const res of [wrongPassword, unknownEmail]) {
        expect(res.status, res.text).toBe(401);
        expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
        expect(res.body.code).toBe("invalid_credentials");
        expect(sessionSetCookie(res)).toBeUndefined();
      }
      expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
    });

    it("refuses an agent created without a password", async () => {
      const { email } = await newAgent("agent", null);
      const res = await h.api("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD } });
      expect(res.status, res.text).toBe(401);
      expect(res.body.code).toBe("invalid_credentials");
    });

    it("rejects a body without a password as 400 validation_failed", async () => {
      const res = await h.api("POST", "/api/v1/auth/login", { body: { email: alice.email } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain("body.password");
    });

    it("stores passwords hashed with argon2, never in clear", async () => {
      const [row] = await h.store.db.select({ hash: agents.passwordHash }).from(agents).where(eq(agents.id, alice.id));
      expect(row!.hash).toMatch(/^\$argon2/);
      expect(row!.hash).not.toContain(TEST_PASSWORD);
      const [customer] = await h.store.db.select({ hash: customers.passwordHash }).from(customers).where(eq(customers.id, h.org.customers.carol.id));
      expect(customer!.hash).toMatch(/^\$argon2/);
    });

    it("lets an agent created through the API sign in with their password", async () => {
      const { id, email } = await newAgent("lead", "a long enough password");
      const { res } = await logIn(h, email, "a long enough password");
      expect(res.body.user).toMatchObject({ id, role: "lead" });
    });
  });

  describe("the session cookie", () => {
    it("does not authenticate when its value is tampered with", async () => {
      const { cookie } = await logIn(h, alice.email);
      const [name, value] = cookie.split("=") as [string, string];
      const [token, signature] = value.split(".") as [string, string];
      const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
      const tampered = [
        `${name}=${flip(token, 12)}.${signature}`, // a different session token under the old signature
        `${name}=${token}.${flip(signature, 5)}`, // a forged signature
        `${name}=${token}`, // the bare session token without a signature
        `${name}=garbage`,
      ];
      for (const bad of tampered) {
        expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie: bad }));
      }
      // The untouched cookie still works.
      expect((await h.api("GET", "/api/v1/auth/me", { cookie })).status).toBe(200);
    });

    it("stops working after logout, and logout clears it", async () => {
      const { cookie } = await logIn(h, alice.email);
      expect((await h.api("GET", "/api/v1/auth/me", { cookie })).status).toBe(200);
      const out = await h.api("POST", "/api/v1/auth/logout", { cookie });
      expect(out.status, out.text).toBe(204);
      const cleared = sessionSetCookie(out);
      expect(cleared).toBeDefined();
      expect(cleared!.split(";")[0]).toBe("tierline_session=");
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie }));
      expectUnauthenticated(await h.api("GET", "/api/v1/tickets", { cookie }));
    });

    it("ends only the session logged out of, not the user's other sessions", async () => {
      const first = await logIn(h, alice.email);
      const second = await logIn(h, alice.email);
      await h.api("POST", "/api/v1/auth/logout", { cookie: first.cookie });
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie: first.cookie }));
      expect((await h.api("GET", "/api/v1/auth/me", { cookie: second.cookie })).status).toBe(200);
    });

    it("logout without a session is harmless (204)", async () => {
      const res = await h.api("POST", "/api/v1/auth/logout");
      expect(res.status, res.text).toBe(204);
    });

    it("expires after TIERLINE_SESSION_TTL_HOURS", async () => {
      const { cookie } = await logIn(h, "carol@customer.test");
      h.clock.advance(h.config.sessionTtlHours * HOUR - 60_000);
      expect((await h.api("GET", "/api/v1/auth/me", { cookie })).status, "still valid just before the TTL").toBe(200);
      h.clock.advance(2 * 60_000);
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie }));
      expectUnauthenticated(await h.api("GET", "/api/v1/tickets", { cookie }));
    });

    it("stops working when the agent is deactivated, as do their API tokens", async () => {
      const { id, email } = await newAgent();
      const { cookie } = await logIn(h, email);
      const token = await h.api("POST", "/api/v1/api-tokens", { cookie, body: { name: "ci" } });
      expect(token.status, token.text).toBe(201);

      await h.store.db.update(agents).set({ active: false }).where(eq(agents.id, id));
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie }));
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { token: token.body.token }));
      const again = await h.api("POST", "/api/v1/auth/login", { body: { email, password: TEST_PASSWORD } });
      expect(again.status, again.text).toBe(401);
      expect(again.body.code).toBe("invalid_credentials");
    });
  });

  describe("POST /api/v1/api-tokens", () => {
    it("creates a token (201, shown once) that then works as a Bearer token", async () => {
      const { cookie } = await logIn(h, alice.email);
      const res = await h.api("POST", "/api/v1/api-tokens", { cookie, body: { name: "  my integration " } });
      expect(res.status, res.text).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), name: "my integration", token: expect.stringMatching(/^tl_pat_/), createdAt: h.clock.now().toISOString() });

      const me = await h.api("GET", "/api/v1/auth/me", { token: res.body.token });
      expect(me.status, me.text).toBe(200);
      expect(me.body.user).toMatchObject({ kind: "agent", id: alice.id });
      expect((await h.api("GET", "/api/v1/tickets", { token: res.body.token })).status).toBe(200);

      // Only a hash of the token is kept.
      const [row] = await h.store.db.select({ hash: apiTokens.tokenHash }).from(apiTokens).where(eq(apiTokens.id, res.body.id));
      expect(row!.hash).not.toContain(res.body.token);
    });

    it("works with a Bearer token as the caller, too", async () => {
      const res = await h.api("POST", "/api/v1/api-tokens", { token: admin.token, body: { name: "second" } });
      expect(res.status, res.text).toBe(201);
      const me = await h.api("GET", "/api/v1/auth/me", { token: res.body.token });
      expect(me.body.user).toMatchObject({ id: admin.id, role: "admin" });
    });

    it("is forbidden to customers (403 forbidden) and writes no token", async () => {
      const [{ count: before }] = await h.store.db.select({ count: sql<number>`count(*)::int` }).from(apiTokens) as [{ count: number }];
      const { cookie } = await logIn(h, "carol@customer.test");
      const res = await h.api("POST", "/api/v1/api-tokens", { cookie, body: { name: "sneaky" } });
      expect(res.status, res.text).toBe(403);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe("forbidden");
      const [{ count: after }] = await h.store.db.select({ count: sql<number>`count(*)::int` }).from(apiTokens) as [{ count: number }];
      expect(after).toBe(before);
    });

    it("requires a name (400 validation_failed)", async () => {
      const res = await h.api("POST", "/api/v1/api-tokens", { token: alice.token, body: { name: "   " } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("validation_failed");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["body.name"]);
    });

    it("requires a signed-in caller", async () => {
      expectUnauthenticated(await h.api("POST", "/api/v1/api-tokens", { body: { name: "anonymous" } }));
    });
  });

  describe("bearer tokens", () => {
    it("rejects an unknown token with 401 unauthenticated", async () => {
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { token: "tl_pat_unknownunknownunknown" }));
    });

    it("rejects malformed Authorization headers with 401 unauthenticated", async () => {
      const headers = ["Bearer", "Bearer ", `Basic ${Buffer.from("alice:pw").toString("base64")}`, `Bearer ${alice.token} extra`, alice.token];
      for (const authorization of headers) {
        expectUnauthenticated(await h.api("GET", "/api/v1/tickets", { headers: { authorization } }));
      }
    });

    it("accepts the scheme name in any case", async () => {
      const res = await h.api("GET", "/api/v1/auth/me", { headers: { authorization: `bearer ${alice.token}` } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.user.id).toBe(alice.id);
    });

    it("does not fall back to a valid session cookie when the bearer token is bad", async () => {
      const { cookie } = await logIn(h, alice.email);
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie, token: "tl_pat_wrong" }));
    });
  });

  describe("protected routes without credentials", () => {
    it("answer 401 before validating the request", async () => {
      const badBody = await h.api("POST", "/api/v1/levels", { body: { name: "", rank: "high" } });
      expectUnauthenticated(badBody);
      expect(badBody.body.errors).toBeUndefined();
      expectUnauthenticated(await h.api("GET", "/api/v1/levels?limit=0&cursor=garbage"));
      expectUnauthenticated(await h.api("GET", "/api/v1/tickets/not-a-uuid"));
      expectUnauthenticated(await h.api("GET", "/api/v1/auth/me"));
      expectUnauthenticated(await h.api("GET", "/api/v1/customers"));
    });
  });
});

describe("the login rate limit", async () => {
  const h = await startHarness({ TIERLINE_LOGIN_RATE_LIMIT: "3" });

  it("answers the 4th attempt within a minute with 429 rate_limited, even with the right password", async () => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = await h.api("POST", "/api/v1/auth/login", { body: { email: "carol@customer.test", password: `wrong ${attempt}` } });
      expect(res.status, `attempt ${attempt}: ${res.text}`).toBe(401);
    }
    const fourth = await h.api("POST", "/api/v1/auth/login", { body: { email: "carol@customer.test", password: TEST_PASSWORD } });
    expect(fourth.status, fourth.text).toBe(429);
    expect(fourth.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(fourth.body.code).toBe("rate_limited");
    expect(sessionSetCookie(fourth)).toBeUndefined();
    expect(Number(fourth.headers["retry-after"])).toBeGreaterThan(0);

    // Other routes are not limited by it.
    const me = await h.api("GET", "/api/v1/auth/me", { token: h.org.agents.alice.token });
    expect(me.status, me.text).toBe(200);
  });
});

describe("configured session cookies", async () => {
  const h = await startHarness({ TIERLINE_COOKIE_SECURE: "true", TIERLINE_SESSION_TTL_HOURS: "2" });

  it("marks the cookie Secure when TIERLINE_COOKIE_SECURE=true, and honours a short TTL", async () => {
    const { line, cookie } = await logIn(h, "carol@customer.test");
    expect(line.split(";").map((a) => a.trim().toLowerCase())).toContain("secure");
    h.clock.advance(2 * HOUR - 60_000);
    expect((await h.api("GET", "/api/v1/auth/me", { cookie })).status).toBe(200);
    h.clock.advance(2 * 60_000);
    expectUnauthenticated(await h.api("GET", "/api/v1/auth/me", { cookie }));
  });
});
