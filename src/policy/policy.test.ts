import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { startHarness, type Harness } from "../test-support/harness.js";
import { ticketApi } from "../test-support/ticket-api.js";
import { checkPolicyText, type PolicyCheck } from "./check-policy.js";
import { exportPolicy, toYaml } from "./export-policy.js";

/** A small valid policy; the tests below spoil one line of it at a time. */
const VALID = `version: 1
levels:
  - name: L1
    rank: 1
  - name: L2
    rank: 2
teams:
  - name: Frontline
    level: L1
    kind: frontline
  - name: Billing
    level: L2
    kind: specialist
rules:
  - name: Payment failures to billing
    conditions:
      - field: text
        op: contains_any
        value: [payment failed]
    actions:
      - type: escalate
        kind: functional
        team: Billing
        reason: needs_expertise
`;

function errorsOf(result: PolicyCheck) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

/** 1-based number of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("checking a policy file", () => {
  it("accepts a valid file and fills in the defaults", () => {
    const result = checkPolicyText(VALID);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.document.rules[0]!.triggers).toEqual(["ticket.created", "message.received", "ticket.updated"]);
  });

  it("reports a YAML syntax error at its line", () => {
    const text = VALID.replace("    rank: 2\n", "    rank: 2\n   bad: [unclosed\n");
    const errors = errorsOf(checkPolicyText(text));
    expect(errors[0]!.line).toBe(lineOf(text, "bad: [unclosed"));
  });

  it("reports an unknown team in a rule at the line naming it", () => {
    const text = VALID.replace("team: Billing", "team: Accounts");
    const errors = errorsOf(checkPolicyText(text));
    expect(errors).toEqual([
      { line: lineOf(text, "team: Accounts"), column: 15, path: "rules[0].actions[0].team", message: 'no team named "Accounts" in teams' },
    ]);
  });

  it("reports a team on an unknown level, and a repeated name", () => {
    const text = VALID.replace("level: L2", "level: L9").replace("name: Billing", "name: Frontline");
    const errors = errorsOf(checkPolicyText(text));
    expect(errors.map((e) => [e.line, e.path])).toEqual([
      [lineOf(text, "level: L9") - 1, "teams[1].name"],
      [lineOf(text, "level: L9"), "teams[1].level"],
      [lineOf(text, "team: Billing"), "rules[0].actions[0].team"],
    ]);
  });

  it("reports a bad enum value at its line", () => {
    const text = VALID.replace("kind: specialist", "kind: specialists");
    const errors = errorsOf(checkPolicyText(text));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: lineOf(text, "kind: specialists"), path: "teams[1].kind" });
    expect(errors[0]!.message).toMatch(/frontline/);
  });

  it("reports a missing field at the entry that lacks it", () => {
    const text = VALID.replace("    rank: 2\n", "");
    const errors = errorsOf(checkPolicyText(text));
    expect(errors).toEqual([expect.objectContaining({ line: lineOf(text, "name: L2"), path: "levels[1].rank" })]);
  });

  it("refuses a duration finer than a millisecond at its line, and accepts PT0.001S", () => {
    const withPolicy = (duration: string) =>
      `${VALID}slaPolicies:\n  - name: Fast\n    targets:\n      first_response:\n        urgent: ${duration}\n`;
    for (const duration of ["PT0.0001S", "PT0.0015S"]) {
      const text = withPolicy(duration);
      const errors = errorsOf(checkPolicyText(text));
      expect(errors).toEqual([expect.objectContaining({ line: lineOf(text, `urgent: ${duration}`), path: "slaPolicies[0].targets.first_response.urgent" })]);
      expect(errors[0]!.message).toMatch(/whole milliseconds/);
    }
    const rule = VALID.replace("reason: needs_expertise\n", "reason: needs_expertise\n      - type: require_ack\n        within: PT0.0001S\n");
    expect(errorsOf(checkPolicyText(rule))).toEqual([expect.objectContaining({ path: "rules[0].actions[1].within" })]);
    expect(checkPolicyText(withPolicy("PT0.001S")).ok).toBe(true);
  });

  it("reports an empty file and a wrong version", () => {
    expect(errorsOf(checkPolicyText(""))[0]).toMatchObject({ line: 1, path: "(document)" });
    const errors = errorsOf(checkPolicyText(VALID.replace("version: 1", "version: 2")));
    expect(errors[0]).toMatchObject({ line: 1, path: "version" });
  });
});

describe("exporting the policy", () => {
  let h: Harness;
  let t: ReturnType<typeof ticketApi>;
  beforeAll(async () => {
    h = await startHarness();
    t = ticketApi(h);
    const admin = t.as.admin;
    const calendar = await t.send(admin, "POST", "/calendars", {
      name: "Berlin office",
      timezone: "Europe/Berlin",
      hours: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] },
      holidayRegion: "DE-BY",
    });
    expect(calendar.status, calendar.text).toBe(201);
    const policy = await t.send(admin, "POST", "/sla-policies", {
      name: "Standard",
      calendarId: calendar.body.id,
      conditions: { teamIds: [h.org.teams.frontline.id] },
      targets: { first_response: { normal: "PT4H" } },
      steps: [
        { type: "warning", metric: "first_response", atPercent: 75 },
        { type: "escalate", metric: "first_response", to: { kind: "team", teamId: h.org.teams.management.id } },
      ],
    });
    expect(policy.status, policy.text).toBe(201);
    const rule = await t.send(admin, "POST", "/escalation-rules", {
      name: "Legal risk",
      conditions: [{ field: "text", op: "contains_any", value: ["lawyer"] }],
      actions: [
        { type: "escalate", kind: "hierarchical", teamId: h.org.teams.management.id, reason: "legal_risk" },
        { type: "require_ack", within: "PT1H" },
      ],
    });
    expect(rule.status, rule.text).toBe(201);
    const limits = await t.send(admin, "PUT", "/authority-limits", [{ role: "agent", type: "refund", amount: 50, currency: "EUR" }]);
    expect(limits.status, limits.text).toBe(200);
  });

  it("names everything by name and passes its own check", async () => {
    const doc = await exportPolicy(h.org.sys);
    expect(doc.levels).toEqual([{ name: "L1", rank: 1 }, { name: "L2", rank: 2 }, { name: "L3", rank: 3 }]);
    expect(doc.teams?.map((x) => x.name)).toEqual(["Billing", "Frontline", "Management", "Technical"]);
    const yaml = toYaml(doc);
    expect(yaml).not.toContain(h.org.teams.management.id);
    expect(yaml.startsWith("# Tierline escalation policy.")).toBe(true);

    const result = checkPolicyText(yaml);
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (!result.ok) return;
    expect(result.document.slaPolicies[0]).toMatchObject({ calendar: "Berlin office", conditions: { teams: ["Frontline"] } });
    expect(result.document.slaPolicies[0]!.steps[1]).toMatchObject({ to: { kind: "team", team: "Management" } });
    expect(result.document.rules[0]!.actions[0]).toMatchObject({ type: "escalate", team: "Management" });
    expect(result.document.authorityLimits).toEqual([{ role: "agent", type: "refund", amount: 50, currency: "EUR" }]);
  });

  it("quotes times, dates and yes/no words, so a YAML 1.1 reader (PyYAML) reads the same strings", async () => {
    const admin = t.as.admin;
    const calendar = await t.send(admin, "POST", "/calendars", {
      name: "on",
      timezone: "Europe/Lisbon",
      hours: { mon: [["08:30", "18:00"]] },
      holidays: [{ date: "2026-12-24", name: "yes" }],
    });
    expect(calendar.status, calendar.text).toBe(201);
    const yaml = toYaml(await exportPolicy(h.org.sys));
    expect(yaml).toContain('"18:00"');
    expect(yaml).toContain('"2026-12-24"');
    expect(yaml).toContain('name: "on"');
    // YAML 1.1 reads a plain 18:00 as the number 1080, 2026-12-24 as a date and on/yes as true.
    const as11 = parse(yaml, { version: "1.1" }) as { calendars: { name: string; hours: unknown; holidays: unknown }[] };
    const exported = as11.calendars.find((c) => c.name === "on");
    expect(exported).toMatchObject({ hours: { mon: [["08:30", "18:00"]] }, holidays: [{ date: "2026-12-24", name: "yes" }] });
    expect(parse(yaml)).toEqual(as11);
    expect(checkPolicyText(yaml).ok).toBe(true);
  });

  it("serves the policy as YAML that parses back, or as JSON", async () => {
    const res = await t.send(t.as.alice, "GET", "/policy");
    expect(res.status, res.text).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/yaml/);
    expect(parse(res.text)).toEqual(await exportPolicy(h.org.sys));
    expect(checkPolicyText(res.text).ok).toBe(true);

    const json = await t.send(t.as.alice, "GET", "/policy?format=json");
    expect(json.status).toBe(200);
    expect(json.body.rules[0].name).toBe("Legal risk");
  });

  it("refuses the policy to callers who are not staff", async () => {
    expect((await h.api("GET", "/api/v1/policy")).status).toBe(401);
  });

  it("serves the JSON Schema for editors", async () => {
    const res = await h.api("GET", "/api/v1/policy/schema");
    expect(res.status, res.text).toBe(200);
    expect(res.body.properties.levels.type).toBe("array");
    expect(res.body.required).toEqual(["version"]);
  });

  it("checks a YAML body without changing anything", async () => {
    const bad = VALID.replace("team: Billing", "team: Accounts");
    const res = await h.api("POST", "/api/v1/policy/check", { ...t.as.alice, body: bad, headers: { "content-type": "application/yaml" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      ok: false,
      errors: [{ line: lineOf(bad, "team: Accounts"), column: 15, path: "rules[0].actions[0].team", message: 'no team named "Accounts" in teams' }],
    });
    const good = await h.api("POST", "/api/v1/policy/check", { ...t.as.alice, body: VALID, headers: { "content-type": "text/plain" } });
    expect(good.body).toEqual({ ok: true, errors: [] });
    const doc = await exportPolicy(h.org.sys);
    expect(doc.teams?.map((x) => x.name)).not.toContain("Accounts");
  });
});

describe("tierline policy check", () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }

  it("prints file:line:column errors and exits 1, or says the file is valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tierline-policy-"));
    try {
      const good = join(dir, "policy.yaml");
      writeFileSync(good, VALID);
      const ok = await run(["policy", "check", good]);
      expect(ok).toMatchObject({ code: 0, stdout: `${good} is valid\n` });

      const bad = join(dir, "bad.yaml");
      const text = VALID.replace("kind: specialist", "kind: nope");
      writeFileSync(bad, text);
      const failed = await run(["policy", "check", bad]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(new RegExp(`^${bad}:${lineOf(text, "kind: nope")}:11: teams\\[1\\]\\.kind: Invalid option`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
