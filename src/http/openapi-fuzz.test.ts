import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { startHarness, type ApiResponse, type Harness } from "../test-support/harness.js";
import { buildTicket } from "../test-support/factories.js";

/**
 * A fuzzer driven by our own OpenAPI document: for every operation it sends requests whose path, query and
 * body values are drawn from the operation's schemas and from a pool of hostile values (forged cursors,
 * lone surrogates, NUL, huge numbers, impossible dates, over-long ids), as an admin, an agent, a customer
 * and nobody. The contract under test: no request answers 5xx, and every 4xx is problem+json with a code.
 * Bounded: a fixed number of runs per operation, with a fixed seed so a failure replays.
 */

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
};
type Parameter = { name: string; in: "path" | "query" | "header" | "cookie"; required?: boolean; schema?: JsonSchema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
};

const RUNS_PER_OPERATION = 30;
const SEED = 20261201;

// Cursors as an attacker writes them: base64url JSON sort keys (our cursors are arrays) with times that
// JavaScript parses but PostgreSQL cannot hold, numbers out of range, broken ids, and other shapes.
const UUID0 = "00000000-0000-0000-0000-000000000000";
const badTimes = ["2026-03-02 09:00 +9999", "+275760-09-13T00:00:00.000Z", "99999-01-01", "1", "Tue Mar 02 2026 09:00:00 GMT+9999"];
const forgedCursors = [
  ...badTimes.flatMap((t) => [[t, UUID0], [t], [t, t]]),
  [2 ** 31, UUID0],
  [2 ** 53 + 2],
  [-1],
  ["2026-03-02T09:00:00Z", "not-a-uuid"],
  ["a\u0000b"],
  [null, null],
  [{}, []],
  { t: "2026-03-02T09:00:00Z" },
  "just a string",
].map((c) => Buffer.from(JSON.stringify(c)).toString("base64url"));

const hostileStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "\ud83d\ude00 emoji",
  "%",
  "%zz",
  "..%2f..%2fetc%2fpasswd",
  "x".repeat(5000),
  "9".repeat(400), // longer than fastify's 100-character path parameter limit
  "-1",
  "1e309",
  "NaN",
  "true",
  "null",
  "2026-13-45T25:61:00Z",
  "+275760-09-13T00:00:00.000Z",
  "PT0.0001S",
  "P99999999999Y",
  "<script>alert(1)</script>",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  ...forgedCursors.slice(0, 8),
];

const hostileValues: unknown[] = [null, -1, 0, 1.5, 2 ** 53, -(2 ** 63), 1e308, true, [], {}, [null], { a: { b: { c: {} } } }];

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  if (s.type) return [s.type];
  if (s.properties) return ["object"];
  return [];
}

/** Values a schema accepts, roughly: the fuzzer needs mostly-valid requests to get past validation. */
function fromSchema(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return fc.constantFrom<unknown>(...hostileValues, ...hostileStrings);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, depth + 1)));
  if (s.allOf?.length) return fromSchema(Object.assign({}, ...s.allOf) as JsonSchema, depth + 1);
  const types = typesOf(s).filter((t) => t !== "null");
  const type = types[0];
  switch (type) {
    case "string":
      switch (s.format) {
        case "uuid":
          return fc.uuid();
        case "date-time":
          return fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
        case "email":
          return fc.emailAddress();
        default:
          return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
      }
    case "integer":
      return fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 100000 });
    case "number":
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 100000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(fromSchema(s.items, depth + 1), { maxLength: 3 });
    case "object": {
      const props = s.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = withHostility(fromSchema(v, depth + 1));
      return fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.constantFrom<unknown>(...hostileValues, ...hostileStrings);
  }
}

/** Mostly what the schema wants, sometimes something hostile in its place. */
function withHostility(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: fc.constantFrom<unknown>(...hostileStrings, ...hostileValues), weight: 1 });
}

function asParam(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v) ?? "";
}

/** Percent-encodes what must be encoded, but lets a stray `%` through now and then as a broken client would. */
function encodeSegment(v: string, raw: boolean): string {
  // A lone surrogate has no UTF-8 form: send the bytes a careless client would (its WTF-8 encoding).
  v = v.replace(/[\ud800-\udfff]/gu, "%ED%A0%80");
  if (!raw) return encodeURIComponent(v);
  return v.replace(/[/?#\s]/g, (c) => encodeURIComponent(c));
}

type Caller = { token?: string; cookie?: string };
type Request = { method: string; url: string; body?: unknown; caller: Caller };

function requestArbitrary(method: string, path: string, op: Operation, ids: string[], callers: Caller[]): fc.Arbitrary<Request> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === "path");
  const queryParams = params.filter((p) => p.in === "query");
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof(
          { arbitrary: fc.constantFrom(...ids), weight: 4 },
          { arbitrary: fc.constantFrom(...hostileStrings), weight: 1 },
          { arbitrary: fromSchema(p.schema).map(asParam), weight: 1 },
        ),
      ]),
    ),
  );
  const queryArb = fc.record(
    Object.fromEntries(
      queryParams.map((p) => [
        p.name,
        // A cursor is where a forged value does harm: half the cursors sent are forged.
        p.name === "cursor" ? fc.constantFrom(...forgedCursors, "", "%%%", "x".repeat(300)) : withHostility(fromSchema(p.schema)).map(asParam),
      ]),
    ),
    { requiredKeys: [] },
  );
  const jsonBody = op.requestBody?.content?.["application/json"]?.schema;
  const bodyArb: fc.Arbitrary<unknown> = jsonBody ? withHostility(fromSchema(jsonBody)) : fc.constant(undefined);
  return fc
    .record({ path: pathArb, query: queryArb, body: bodyArb, caller: fc.constantFrom(...callers), raw: fc.boolean(), extra: fc.boolean() })
    .map(({ path: pv, query, body, caller, raw, extra }) => {
      let url = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeSegment(String(pv[name] ?? ""), raw));
      const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
      if (extra) qs.set("unknownParameter", "1");
      const q = qs.toString();
      if (q) url += `?${q}`;
      return { method, url, body, caller };
    });
}

function isEventStream(op: Operation): boolean {
  return Object.values(op.responses ?? {}).some((r) => JSON.stringify(r).includes("text/event-stream"));
}

describe("fuzzing the API from its OpenAPI document", () => {
  let h: Harness;
  let operations: { method: string; path: string; op: Operation }[];
  let ids: string[];
  let callers: Caller[];

  beforeAll(async () => {
    h = await startHarness();
    const ticket = await buildTicket(h.org.sys, { customerId: h.org.customers.carol.id });
    const login = await h.api("POST", "/api/v1/auth/login", { body: { email: "carol@customer.test", password: "correct horse battery" } });
    const customerCookie = String(login.headers["set-cookie"] ?? "").split(";")[0];
    ids = [ticket.id, String(ticket.number), h.org.teams.frontline.id, h.org.agents.alice.id, h.org.customers.carol.id, h.org.levels.l1.id];
    const { admin, alice, lena } = h.org.agents;
    callers = [{ token: admin.token }, { token: alice.token }, { token: lena.token }, { cookie: customerCookie }, {}];
    const doc = (await h.api("GET", "/api/openapi.json")).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });

  it("answers every generated request below 500, and every 4xx as problem+json with a code", async () => {
    expect(operations.length).toBeGreaterThan(50);
    // One example per operation, status and code, so a systematic fault reads as one line.
    const failures = new Map<string, string>();
    for (const { method, path, op } of operations) {
      if (isEventStream(op)) continue; // an open stream never ends; the stream has its own tests
      await fc.assert(
        fc.asyncProperty(requestArbitrary(method, path, op, ids, callers), async (req) => {
          const res: ApiResponse = await h.api(req.method as "GET", req.url, { ...req.caller, body: req.body });
          const problem = /^application\/problem\+json/.test(String(res.headers["content-type"] ?? ""));
          if (res.status >= 500 || (res.status >= 400 && (!problem || typeof res.body?.code !== "string"))) {
            const kind = `${method} ${path} → ${res.status} ${problem ? res.body?.code : res.text.slice(0, 80)}`;
            if (!failures.has(kind)) failures.set(kind, `${req.method} ${req.url.slice(0, 160)} ${JSON.stringify(req.body)?.slice(0, 160)} → ${res.text.slice(0, 240)}`);
          }
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
      );
    }
    const report = [...failures.entries()].map(([kind, example]) => `${kind}\n    e.g. ${example}`);
    if (report.length > 0) throw new Error(`${report.length} kinds of failure:\n${report.join("\n")}`);
  }, 600_000);
});
