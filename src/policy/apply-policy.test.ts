import { beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startHarness, type Harness } from "../test-support/harness.js";
import { ticketApi } from "../test-support/ticket-api.js";
import { applyPolicy, diffPolicies } from "./apply-policy.js";
import { checkPolicyText } from "./check-policy.js";
import { exportPolicy } from "./export-policy.js";
import { formatChanges } from "./format-changes.js";
import { PolicyDocument, type PolicyDocumentInput, type PolicyDocumentValue } from "./policy-document.js";

type Doc = PolicyDocumentInput & Required<Pick<PolicyDocumentInput, "levels" | "teams" | "calendars" | "slaPolicies" | "rules" | "authorityLimits">>;

describe("applying a policy", () => {
  let h: Harness;
  let t: ReturnType<typeof ticketApi>;
  const current = async () => (await exportPolicy(h.org.sys)) as Doc;
  const normalised = (doc: PolicyDocumentInput): PolicyDocumentValue => PolicyDocument.parse(doc);
  const put = (doc: PolicyDocumentInput | string, query = "", headers: Record<string, string> = {}) =>
    h.api("PUT", `/api/v1/policy${query}`, {
      ...t.as.admin,
      body: typeof doc === "string" ? doc : doc,
      headers: typeof doc === "string" ? { "content-type": "application/yaml", ...headers } : headers,
    });

  beforeAll(async () => {
    h = await startHarness();
    t = ticketApi(h);
  });

  it("changes nothing when the document is what the store holds", async () => {
    const doc = await current();
    const result = await applyPolicy(h.org.sys, normalised(doc));
    expect(result).toMatchObject({ applied: false, changes: [] });
    expect(formatChanges(result.changes)).toMatch(/^No changes/);
  });

  it("adds, changes and removes by name in one go, and the store then exports the document", async () => {
    const doc = await current();
    doc.levels.push({ name: "L4", rank: 4 });
    doc.teams.push({ name: "Legal", level: "L4", kind: "management" }, { name: "Scratch", level: "L1", kind: "frontline" });
    doc.calendars.push({ name: "Lisbon office", timezone: "Europe/Lisbon", hours: { mon: [["09:00", "18:00"]] } });
    doc.slaPolicies.push({
      name: "Legal SLA",
      calendar: "Lisbon office",
      conditions: { teams: ["Legal"] },
      targets: { first_response: { urgent: "PT1H" } },
      steps: [{ type: "escalate", metric: "first_response", to: { kind: "team", team: "Legal" } }],
    });
    doc.rules.push({
      name: "Regulator to legal",
      conditions: [{ field: "text", op: "contains_any", value: ["regulator"] }],
      actions: [{ type: "escalate", kind: "hierarchical", team: "Legal", reason: "legal_risk" }],
    });
    doc.authorityLimits.push({ role: "agent", type: "refund", amount: 40, currency: "EUR" });
    const first = await applyPolicy(h.org.sys, normalised(doc));
    expect(first.applied).toBe(true);
    expect(first.changes.map((c) => `${c.op} ${c.section} ${c.name}`)).toEqual([
      "add levels L4",
      "add teams Legal",
      "add teams Scratch",
      "add calendars Lisbon office",
      "add slaPolicies Legal SLA",
      "add rules Regulator to legal",
      "add authorityLimits agent refund",
    ]);
    expect(diffPolicies(normalised(await current()), normalised(doc))).toEqual([]);

    // Now change some and remove the unused team: a level's rank, a team's kind, a rule's keywords and a limit.
    const next = await current();
    next.levels.find((l) => l.name === "L4")!.rank = 9;
    next.teams.find((x) => x.name === "Legal")!.kind = "specialist";
    next.teams = next.teams.filter((x) => x.name !== "Scratch");
    next.rules.find((r) => r.name === "Regulator to legal")!.conditions = [{ field: "text", op: "contains_any", value: ["regulator", "ombudsman"] }];
    next.authorityLimits[0]!.amount = 60;
    const second = await applyPolicy(h.org.sys, normalised(next));
    expect(second.changes.map((c) => `${c.op} ${c.section} ${c.name} ${(c.fields ?? []).map((f) => f.field).join(",")}`.trim())).toEqual([
      "change levels L4 rank",
      "change teams Legal kind",
      "remove teams Scratch",
      "change rules Regulator to legal conditions",
      "change authorityLimits agent refund amount",
    ]);
    expect(second.changes[0]!.fields).toEqual([{ field: "rank", from: 4, to: 9 }]);
    expect(diffPolicies(normalised(await current()), normalised(next))).toEqual([]);
    const diff = formatChanges(second.changes);
    expect(diff).toContain("  ~ L4\n      rank: 4 → 9\n");
    expect(diff).toContain("  - Scratch\n");
    expect(diff).toMatch(/0 to add, 4 to change, 1 to remove\.\n$/);

    // The rule the apply changed is live: a ticket with the new keyword goes to Legal.
    const ticket = await t.openTicket({ description: "I will complain to the ombudsman." });
    expect((await t.ticket(ticket.id)).teamId).not.toBe(h.org.teams.frontline.id);
  });

  it("carries the categories teams own: export, check, apply with a diff (issue 9 item 10)", async () => {
    const doc = await current();
    expect(doc.teams.find((x) => x.name === "Billing")).toEqual({ name: "Billing", level: "L2", kind: "specialist", categories: [] });
    doc.teams.find((x) => x.name === "Billing")!.categories = ["billing", "refunds"];
    const result = await applyPolicy(h.org.sys, normalised(doc));
    expect(result.changes.map((c) => `${c.op} ${c.section} ${c.name} ${(c.fields ?? []).map((f) => f.field).join(",")}`)).toEqual(["change teams Billing categories"]);
    expect(formatChanges(result.changes)).toContain("~ Billing");
    expect((await current()).teams.find((x) => x.name === "Billing")!.categories).toEqual(["billing", "refunds"]);
    const escalated = await t.openTicket({ category: "refunds" });
    expect((await t.escalate(escalated.id, { kind: "hierarchical", reason: "complaint" })).toTeamId).toBe(h.org.teams.billing.id);
    // A document without categories (written before they existed) means none.
    expect(normalised({ version: 1, levels: [{ name: "L1", rank: 1 }], teams: [{ name: "A", level: "L1", kind: "frontline" }] }).teams[0]!.categories).toEqual([]);
    const bad = checkPolicyText("version: 1\nlevels:\n  - name: L1\n    rank: 1\nteams:\n  - name: A\n    level: L1\n    kind: frontline\n    categories: [printer, 7]\n");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toEqual(["teams[0].categories[1]"]);
  });

  it("swaps the ranks of two levels", async () => {
    const doc = await current();
    const l4 = doc.levels.find((l) => l.name === "L4")!;
    const l3 = doc.levels.find((l) => l.name === "L3")!;
    [l4.rank, l3.rank] = [l3.rank, l4.rank];
    const result = await applyPolicy(h.org.sys, normalised(doc));
    expect(result.changes.map((c) => c.name)).toEqual(["L3", "L4"]);
    expect((await current()).levels.map((l) => `${l.name}:${l.rank}`)).toEqual(["L1:1", "L2:2", "L4:3", "L3:9"]);
  });

  it("dry-runs: reports the changes and writes nothing", async () => {
    const before = await current();
    const doc = await current();
    doc.levels.push({ name: "L5", rank: 50 });
    doc.rules = doc.rules.map((r) => ({ ...r, active: false }));
    const result = await applyPolicy(h.org.sys, normalised(doc), { dryRun: true });
    expect(result).toMatchObject({ dryRun: true, applied: false });
    expect(result.changes.map((c) => `${c.op} ${c.name}`)).toEqual(["add L5", "change Regulator to legal"]);
    expect(await current()).toEqual(before);
  });

  it("refuses, all or nothing, to remove what has history, saying what uses it", async () => {
    const withTicket = await t.openTicket({ description: "The regulator will hear of this." }); // the rule fires; the ticket goes to Legal
    expect(withTicket.id).toBeTruthy();
    const before = await current();
    const doc = await current();
    doc.levels.push({ name: "L6", rank: 60 }); // a good change that must not land either
    doc.teams = doc.teams.filter((x) => x.name !== "Frontline");
    doc.rules = doc.rules.filter((r) => r.name !== "Regulator to legal");
    const res = await put(doc);
    expect(res.status, res.text).toBe(409);
    expect(res.body.code).toBe("policy_conflict");
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(["teams.Frontline", "rules.Regulator to legal"]);
    expect(res.body.errors[0].message).toMatch(/still used by .*escalations, 2 agents/);
    expect(res.body.errors[1].message).toMatch(/firings.*active: false/);
    expect(await current()).toEqual(before);

    // A rule that never fired is simply removed; retiring one that did is `active: false`.
    const retire = await current();
    retire.rules.find((r) => r.name === "Regulator to legal")!.active = false;
    retire.rules.push({ name: "Never fires", conditions: [{ field: "text", op: "contains_any", value: ["zzzz-never"] }], actions: [{ type: "add_tags", tags: ["x"] }] });
    expect((await put(retire)).status).toBe(200);
    const gone = await current();
    gone.rules = gone.rules.filter((r) => r.name !== "Never fires");
    const removed = await put(gone);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.body.changes).toEqual([{ section: "rules", name: "Never fires", op: "remove" }]);
  });

  it("refuses to remove an SLA policy that timed tickets", async () => {
    const doc = await current();
    doc.slaPolicies.push({ name: "Everyone", targets: { first_response: { normal: "PT8H" } } });
    expect((await put(doc)).status).toBe(200);
    await t.openTicket();
    const without = await current();
    without.slaPolicies = without.slaPolicies.filter((p) => p.name !== "Everyone");
    const res = await put(without);
    expect(res.status, res.text).toBe(409);
    expect(res.body.errors).toEqual([{ path: "slaPolicies.Everyone", message: expect.stringMatching(/ticket clocks; keep it with active: false/) }]);
  });

  it("takes YAML over HTTP: a bad file says where and changes nothing", async () => {
    const before = await current();
    const doc = await current();
    doc.levels.push({ name: "L7", rank: 70 });
    const text = stringify(doc).replace("name: Legal\n", "name: Legal\n    colour: red\n");
    const res = await put(text);
    expect(res.status, res.text).toBe(422);
    expect(res.body.code).toBe("policy_invalid");
    const line = text.split("\n").findIndex((l) => l.includes("colour: red")) + 1;
    expect(res.body.errors).toEqual([expect.objectContaining({ line, message: 'unknown key "colour"' })]);
    expect(await current()).toEqual(before);

    const dry = await put(stringify(doc), "?dryRun=true");
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, changes: [{ section: "levels", name: "L7", op: "add" }] });
    expect(await current()).toEqual(before);
  });

  it("refuses a stale If-Match with 412 and applies with the current ETag", async () => {
    const got = await t.send(t.as.admin, "GET", "/policy");
    const etag = got.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const doc = parse(got.text) as Doc;
    doc.levels.unshift({ name: "L8", rank: 80 }); // first in the file, last in the store's order
    const stale = await put(doc, "", { "if-match": '"0000"' });
    expect(stale.status, stale.text).toBe(412);
    expect(stale.body.code).toBe("policy_changed");
    const ok = await put(doc, "", { "if-match": etag });
    expect(ok.status, ok.text).toBe(200);
    const after = await t.send(t.as.admin, "GET", "/policy");
    expect(after.headers.etag).toBe(ok.headers.etag);
    expect(after.headers.etag).not.toBe(etag);
  });

  it("lets only admins apply", async () => {
    const doc = await current();
    const res = await h.api("PUT", "/api/v1/policy", { ...t.as.mark, body: doc });
    expect(res.status).toBe(403);
    expect((await h.api("PUT", "/api/v1/policy", { body: doc })).status).toBe(401);
  });
});

describe("diffing policies", () => {
  const base = PolicyDocument.parse({ version: 1, levels: [{ name: "L1", rank: 1 }], teams: [{ name: "A", level: "L1", kind: "frontline" }] });

  it("sees a change in a nested field whatever the key order", () => {
    const same = PolicyDocument.parse({ teams: [{ kind: "frontline", level: "L1", name: "A" }], levels: [{ rank: 1, name: "L1" }], version: 1 });
    expect(diffPolicies(base, same)).toEqual([]);
    const renamed = PolicyDocument.parse({ version: 1, levels: [{ name: "Tier 1", rank: 1 }], teams: [{ name: "A", level: "Tier 1", kind: "frontline" }] });
    expect(diffPolicies(base, renamed)).toEqual([
      { section: "levels", name: "Tier 1", op: "add" },
      { section: "levels", name: "L1", op: "remove" },
      { section: "teams", name: "A", op: "change", fields: [{ field: "level", from: "L1", to: "Tier 1" }] },
    ]);
  });
});

describe("printing the changes", () => {
  it("prints each changed leaf of a nested field on its own line, not the whole object", () => {
    const before = PolicyDocument.parse({
      version: 1,
      slaPolicies: [
        {
          name: "Standard",
          targets: { first_response: { normal: "PT4H", urgent: "PT1H" }, resolution: { normal: "P2D" } },
          steps: [{ type: "warning", metric: "first_response", atPercent: 75 }],
          pauseStatuses: ["pending"],
        },
      ],
    });
    const after = PolicyDocument.parse({
      version: 1,
      slaPolicies: [
        {
          name: "Standard",
          targets: { first_response: { normal: "PT3H", urgent: "PT1H", high: "PT2H" } },
          steps: [{ type: "warning", metric: "first_response", atPercent: 80 }],
          pauseStatuses: ["pending", "on_hold"],
        },
      ],
    });
    expect(formatChanges(diffPolicies(before, after))).toBe(
      [
        "slaPolicies:",
        "  ~ Standard",
        '      pauseStatuses: ["pending"] → ["pending","on_hold"]',
        "      targets.first_response.high: (none) → PT2H",
        "      targets.first_response.normal: PT4H → PT3H",
        "      targets.resolution: {\"normal\":\"P2D\"} → (none)",
        "      steps[0].atPercent: 75 → 80",
        "0 to add, 1 to change, 0 to remove.",
        "",
      ].join("\n"),
    );
  });
});

describe("checking reports everything at once", () => {
  it("reports shape errors, unknown keys and cross-references together", () => {
    const text = `version: 1
levels:
  - name: L1
    rank: 1
teams:
  - name: Frontline
    level: L1
    kind: frontlin
  - name: Billing
    level: L2
    kind: specialist
    colour: red
rules:
  - name: To billing
    conditions: []
    actions:
      - type: route
        team: Frontline
      - type: route
        team: Accounts
`;
    const result = checkPolicyText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.line} ${e.path}: ${e.message.split(":")[0]}`)).toEqual([
      "8 teams[0].kind: Invalid option",
      "10 teams[1].level: no level named \"L2\" in levels",
      '12 teams[1]: unknown key "colour"',
      '20 rules[0].actions[1].team: no team named "Accounts" in teams',
    ]);
  });
});
