import { describe, expect, it } from "vitest";
import { startHarness, type ApiResponse } from "../test-support/harness.js";

const PROBLEM_JSON = /^application\/problem\+json/;

describe("the application shell", async () => {
  const h = await startHarness();
  const admin = h.org.agents.admin.token;

  describe("GET /healthz", () => {
    it("answers 200 {status: ok} without credentials", async () => {
      const res = await h.api("GET", "/healthz");
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("ok");
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
    });
  });

  describe("GET /api/openapi.json", () => {
    it("is an OpenAPI 3.1 document, served without credentials", async () => {
      const res = await h.api("GET", "/api/openapi.json");
      expect(res.status, res.text).toBe(200);
      expect(res.body.openapi).toMatch(/^3\.1/);
      expect(res.body.info.title).toBe("Tierline API");
    });

    it("lists the contract paths with their methods", async () => {
      const { body } = await h.api("GET", "/api/openapi.json");
      const paths = body.paths as Record<string, Record<string, unknown>>;
      const expected: [string, string][] = [
        ["/api/v1/auth/login", "post"],
        ["/api/v1/auth/logout", "post"],
        ["/api/v1/auth/me", "get"],
        ["/api/v1/api-tokens", "post"],
        ["/api/v1/levels", "post"],
        ["/api/v1/levels", "get"],
        ["/api/v1/teams", "get"],
        ["/api/v1/agents", "get"],
        ["/api/v1/accounts", "get"],
        ["/api/v1/customers", "get"],
        ["/api/v1/tickets", "post"],
        ["/api/v1/tickets", "get"],
        ["/api/v1/tickets/{id}", "get"],
        ["/api/v1/tickets/{id}/escalations", "post"],
        ["/api/v1/escalations/{id}/acknowledge", "post"],
      ];
      for (const [path, method] of expected) {
        expect(paths[path], `${method.toUpperCase()} ${path}`).toHaveProperty(method);
      }
    });

    it("documents problem responses and both ways to authenticate", async () => {
      const { body } = await h.api("GET", "/api/openapi.json");
      expect(Object.keys(body.components.securitySchemes).sort()).toEqual(["bearer", "session"]);
      const login = body.paths["/api/v1/auth/login"].post;
      expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "429"]));
      // The health checks are part of the contract (load balancers use them); the docs pages are not.
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(["/healthz", "/readyz"]));
      expect(Object.keys(body.paths).some((p) => p.startsWith("/api/docs"))).toBe(false);
    });
  });

  describe("GET /api/docs", () => {
    it("serves the browsable docs page without credentials", async () => {
      let res = await h.api("GET", "/api/docs");
      for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 3; hops++) {
        res = await h.api("GET", String(res.headers.location));
      }
      expect(res.status, res.text).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.text.toLowerCase()).toContain("<html");
    });

    it("serves the specification the docs page loads without credentials", async () => {
      const res = await h.api("GET", "/api/docs/json");
      expect(res.status, res.text).toBe(200);
      expect(res.body.openapi).toMatch(/^3\.1/);
    });
  });

  describe("errors", () => {
    it("answers an unknown route with 404 not_found as problem+json", async () => {
      const res = await h.api("GET", "/api/v1/no-such-thing", { token: admin });
      expect(res.status, res.text).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.body).toMatchObject({ status: 404, code: "not_found", title: expect.any(String), detail: expect.any(String) });
      expect(res.body.type).toMatch(/^https:\/\//);
    });

    it("answers an unknown route without credentials with 401, revealing nothing about what exists", async () => {
      const res = await h.api("GET", "/api/v1/no-such-thing");
      expect(res.status, res.text).toBe(401);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe("unauthenticated");
    });

    it("answers a malformed JSON body with 400 malformed_request", async () => {
      const res = await h.api("POST", "/api/v1/levels", {
        token: admin,
        body: '{"name": "L9", "rank": ',
        headers: { "content-type": "application/json" },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe("malformed_request");
      const levels = await h.api("GET", "/api/v1/levels?limit=200", { token: admin });
      expect(levels.body.data.map((l: { name: string }) => l.name)).not.toContain("L9");
    });

    it("answers an empty JSON body with 400 malformed_request", async () => {
      const res = await h.api("POST", "/api/v1/levels", { token: admin, body: "", headers: { "content-type": "application/json" } });
      expect(res.status, res.text).toBe(400);
      expect(res.body.code).toBe("malformed_request");
    });

    it("reports a body that is not an object as a validation failure of `body`", async () => {
      const res = await h.api("POST", "/api/v1/levels", { token: admin, body: [1, 2] });
      expect(res.status, res.text).toBe(400);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.body.code).toBe("validation_failed");
      expect(res.body.errors).toEqual([{ path: "body", message: expect.any(String) }]);
    });

    it("refuses text with a NUL character (which the store cannot hold) with 400 naming the field", async () => {
      const cases: [Promise<ApiResponse>, string][] = [
        [h.api("POST", "/api/v1/levels", { token: admin, body: { name: "L\u00009", rank: 99 } }), "body.name"],
        [
          h.api("POST", "/api/v1/agents", { token: admin, body: { email: "nul@support.test", name: "Nul", role: "agent", skills: ["ok", "b\u0000d"] } }),
          "body.skills.1",
        ],
        [h.api("GET", "/api/v1/customers?email=a%00b", { token: admin }), "querystring.email"],
        [h.api("POST", "/api/v1/auth/login", { body: { email: "a\u0000@b.test", password: "whatever" } }), "body.email"],
      ];
      for (const [pending, path] of cases) {
        const res = await pending;
        expect(res.status, res.text).toBe(400);
        expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
        expect(res.body.code).toBe("validation_failed");
        expect(res.body.errors).toEqual([{ path, message: expect.any(String) }]);
      }
      const agents = await h.api("GET", "/api/v1/agents?limit=200", { token: admin });
      expect(agents.body.data.map((a: { email: string }) => a.email)).not.toContain("nul@support.test");
    });

    it("still answers 401 first to an anonymous request carrying a NUL character", async () => {
      const res = await h.api("POST", "/api/v1/levels", { body: { name: "\u0000", rank: 1 } });
      expect(res.status, res.text).toBe(401);
      expect(res.body.code).toBe("unauthenticated");
    });

    it("sends every error kind as problem+json with type, title, status, code and detail", async () => {
      const responses = await Promise.all([
        h.api("GET", "/api/v1/levels"), // 401
        h.api("POST", "/api/v1/levels", { token: h.org.agents.alice.token, body: { name: "Lx", rank: 77 } }), // 403
        h.api("POST", "/api/v1/levels", { token: admin, body: { name: "" } }), // 400
        h.api("GET", "/api/v1/tickets/00000000-0000-4000-8000-000000000000", { token: admin }), // 404
        h.api("POST", "/api/v1/levels", { token: admin, body: { name: "L1", rank: 1 } }), // 409
      ]);
      expect(responses.map((r) => r.status)).toEqual([401, 403, 400, 404, 409]);
      for (const res of responses) {
        expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
        expect(res.body).toMatchObject({
          type: expect.stringMatching(/^https:\/\//),
          title: expect.any(String),
          status: res.status,
          code: expect.stringMatching(/^[a-z_]+$/),
          detail: expect.any(String),
        });
      }
    });
  });
});
