import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startHarness } from "../test-support/harness.js";
import { expectProblem } from "../test-support/problem-assertions.js";

/** Sends raw bytes over a real socket and returns the whole response (status, headers, parsed body). */
function rawRequest(port: number, request: string): Promise<{ status: number; headers: string; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = text.split("\r\n\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? "")?.[1]);
      resolve({ status, headers: head ?? "", body: JSON.parse(rest.join("\r\n\r\n")) });
    });
    socket.end(request);
  });
}

describe("errors raised by the framework and by Node's HTTP parser", async () => {
  const h = await startHarness();
  const admin = h.org.agents.admin.token;

  it("answers malformed percent-encoding in a path with 400 malformed_request problem+json", async () => {
    for (const token of [admin, undefined]) {
      const res = await h.api("GET", "/api/v1/tickets/%E0%A4%A", { token });
      expectProblem(res, 400, "malformed_request");
      expect(res.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.any(String), type: expect.stringMatching(/^https:/) });
    }
  });

  it("answers a known path with the wrong method with 405 method_not_allowed and an Allow header, an unknown one with 404", async () => {
    const wrong = await h.api("DELETE", "/api/v1/tickets", { token: admin });
    expectProblem(wrong, 405, "method_not_allowed");
    expect(String(wrong.headers.allow).split(", ").sort()).toEqual(["GET", "POST"]);
    const withId = await h.api("PUT", "/api/v1/tickets/00000000-0000-4000-8000-000000000000", { token: admin, body: {} });
    expectProblem(withId, 405, "method_not_allowed");
    expect(String(withId.headers.allow).split(", ").sort()).toEqual(["GET", "PATCH"]);
    expectProblem(await h.api("GET", "/api/v1/no-such-thing", { token: admin }), 404, "not_found");
    // Without credentials the answer is 401 either way: nothing about the routes is told.
    expectProblem(await h.api("DELETE", "/api/v1/tickets"), 401, "unauthenticated");
  });

  it("answers a path parameter over 100 characters with 414 uri_too_long", async () => {
    expectProblem(await h.api("GET", `/api/v1/tickets/${"a".repeat(150)}`, { token: admin }), 414, "uri_too_long");
  });

  it("answers a body in a type no route reads with 415, a body over the limit with 413, bad JSON with 400", async () => {
    const post = (body: string, type: string) => h.api("POST", "/api/v1/levels", { token: admin, body, headers: { "content-type": type } });
    expectProblem(await post("name,rank\nL9,9", "text/csv"), 415, "unsupported_media_type");
    expectProblem(await post(JSON.stringify({ name: "x".repeat(3 * 1024 * 1024), rank: 9 }), "application/json"), 413, "payload_too_large");
    expectProblem(await post('{"name": "L9", "rank": ', "application/json"), 400, "malformed_request");
    const levels = await h.api("GET", "/api/v1/levels?limit=200", { token: admin });
    expect(levels.body.data.map((l: { rank: number }) => l.rank)).not.toContain(9);
  });

  it("answers a method no route takes, on a known path, with 405 problem+json", async () => {
    const res = await h.app.inject({ method: "PROPFIND" as "GET", url: "/api/v1/tickets", headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(405);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  describe("over a real socket (Node refuses these before fastify sees them)", async () => {
    await h.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = h.app.server.address() as AddressInfo;

    it("answers headers over 16 KB with 431 headers_too_large", async () => {
      const res = await rawRequest(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`);
      expect(res.status).toBe(431);
      expect(res.headers).toMatch(/content-type: application\/problem\+json/i);
      expect(res.body).toMatchObject({ status: 431, code: "headers_too_large", detail: expect.stringContaining("16 KB") });
    });

    it("answers an unknown method and a garbled request line with 400 malformed_request", async () => {
      for (const request of ["FROB /api/v1/tickets HTTP/1.1\r\nHost: x\r\n\r\n", "this is not http\r\n\r\n"]) {
        const res = await rawRequest(port, request);
        expect(res.status, request).toBe(400);
        expect(res.headers).toMatch(/content-type: application\/problem\+json/i);
        expect(res.body).toMatchObject({ status: 400, code: "malformed_request", detail: expect.any(String) });
      }
    });

    it("still serves well-formed requests on the same server", async () => {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    });
  });

  describe("POST /policy/check with deeply nested YAML", () => {
    const check = (yaml: string) => h.api("POST", "/api/v1/policy/check", { token: admin, body: yaml, headers: { "content-type": "application/yaml" } });

    it("reports nesting beyond 64 levels as a clear error, not a stack overflow", async () => {
      for (const yaml of [`levels: ${"[".repeat(5000)}${"]".repeat(5000)}\n`, `levels: ${"[".repeat(100)}${"]".repeat(100)}\n`, `levels:\n${Array.from({ length: 80 }, (_, i) => `${"  ".repeat(i + 1)}- a${i}:`).join("\n")} x\n`]) {
        const res = await check(yaml);
        expect(res.status, res.text).toBe(200);
        expect(res.body.ok).toBe(false);
        expect(res.body.errors).toHaveLength(1);
        expect(res.body.errors[0].message).toMatch(/nested more than 64 levels deep/);
        expect(res.text).not.toMatch(/call stack/i);
      }
    });

    it("still checks a shallow document normally", async () => {
      const res = await check(`levels: [[[1]]]\n`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.errors[0].message).not.toMatch(/nested/);
    });
  });
});
