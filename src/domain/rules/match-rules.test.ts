import { describe, expect, it } from "vitest";
import { conditionHolds, containsPhrase, matchKeyword, ruleMatches, rulesFor, type Rule, type RuleFacts } from "./match-rules.js";

const facts: RuleFacts = {
  category: "billing",
  priority: "urgent",
  channel: "email",
  status: "open",
  customerTier: "vip",
  levelRank: 1,
  tags: ["invoice"],
  text: "My payment failed twice. If this is not fixed I will contact my lawyer.",
  annualValue: 120_000,
  reopenCount: 3,
  customerContacts: 4,
  createdAt: new Date("2026-03-01T09:00:00Z"),
  updatedAt: new Date("2026-03-02T08:00:00Z"),
  now: new Date("2026-03-02T09:00:00Z"),
};

const rule = (over: Partial<Rule>): Rule => ({
  id: over.name ?? "r",
  name: "r",
  position: 100,
  active: true,
  triggers: ["ticket.created"],
  match: "all",
  conditions: [],
  actions: [{ type: "add_tags", tags: ["x"] }],
  stopProcessing: false,
  oncePerTicket: true,
  ...over,
});

describe("conditions", () => {
  it("compare lists, numbers and times", () => {
    expect(conditionHolds({ field: "priority", op: "in", value: ["urgent", "high"] }, facts)).toBe(true);
    expect(conditionHolds({ field: "customerTier", op: "not_in", value: ["vip"] }, facts)).toBe(false);
    expect(conditionHolds({ field: "reopenCount", op: "gte", value: 3 }, facts)).toBe(true);
    expect(conditionHolds({ field: "annualValue", op: "gte", value: 200_000 }, facts)).toBe(false);
    expect(conditionHolds({ field: "hoursSinceCreated", op: "gte", value: 24 }, facts)).toBe(true);
    expect(conditionHolds({ field: "hoursSinceUpdated", op: "gte", value: 2 }, facts)).toBe(false);
    expect(conditionHolds({ field: "tags", op: "has_none", value: ["vip"] }, facts)).toBe(true);
    expect(conditionHolds({ field: "category", op: "not_in", value: ["billing"] }, { ...facts, category: null })).toBe(true);
  });
  it("an account without an annual value meets no value condition", () => {
    expect(conditionHolds({ field: "annualValue", op: "lte", value: 1_000 }, { ...facts, annualValue: null })).toBe(false);
  });
});

describe("keywords", () => {
  it("match whole words and phrases, whatever the case", () => {
    expect(containsPhrase("I will take LEGAL ACTION!", "legal action")).toBe(true);
    expect(containsPhrase("legal\\n action follows", "legal action")).toBe(false);
    expect(containsPhrase("legal\n action follows", "legal action")).toBe(true);
    expect(containsPhrase("that would be illegal actions", "legal action")).toBe(false);
    expect(containsPhrase("our lawyers", "lawyer")).toBe(false);
    expect(containsPhrase("the regulator, Ofcom", "regulator")).toBe(true);
    expect(containsPhrase("Zahlung (payment) failed", "payment")).toBe(true);
  });
});

describe("rules", () => {
  it("need all conditions, or any", () => {
    const conditions = [
      { field: "customerTier" as const, op: "in" as const, value: ["vip" as const] },
      { field: "channel" as const, op: "in" as const, value: ["chat" as const] },
    ];
    expect(ruleMatches(rule({ match: "all", conditions }), facts)).toBe(false);
    expect(ruleMatches(rule({ match: "any", conditions }), facts)).toBe(true);
    expect(ruleMatches(rule({ conditions: [] }), facts)).toBe(true);
  });
  it("are taken in position order, for their triggers, when active", () => {
    const rules = [
      rule({ name: "b", position: 20 }),
      rule({ name: "a", position: 10 }),
      rule({ name: "off", position: 1, active: false }),
      rule({ name: "updates", position: 5, triggers: ["ticket.updated"] }),
    ];
    expect(rulesFor(rules, "ticket.created").map((r) => r.name)).toEqual(["a", "b"]);
    expect(rulesFor(rules, "ticket.updated").map((r) => r.name)).toEqual(["updates"]);
  });
});

describe("keywords by stem (issue 9 item 14)", () => {
  // As PostgreSQL's english configuration stems them (src/rules/stem-text.ts reads them from the store).
  const stemmed = {
    text: "Our lawyers will take the matter further",
    stems: {
      words: [
        { word: "Our", stem: "" },
        { word: "lawyers", stem: "lawyer" },
        { word: "will", stem: "" },
        { word: "take", stem: "take" },
        { word: "the", stem: "" },
        { word: "matter", stem: "matter" },
        { word: "further", stem: "further" },
      ],
      keywords: new Map([
        ["lawyer", ["lawyer"]],
        ["take matter", ["take", "matter"]],
        ["take the matter", ["take", "", "matter"]],
        ["the", [""]],
      ]),
    },
  };

  it("prefers the exact phrase, then matches adjacent word stems in order, a stop word standing for any word", () => {
    expect(matchKeyword(stemmed, "matter further")).toEqual({ keyword: "matter further", matched: "matter further", by: "phrase" });
    expect(matchKeyword(stemmed, "lawyer")).toEqual({ keyword: "lawyer", matched: "lawyers", by: "stem" });
    expect(matchKeyword(stemmed, "take the matter")).toEqual({ keyword: "take the matter", matched: "take the matter", by: "phrase" });
    expect(matchKeyword(stemmed, "take matter")).toBeNull(); // not adjacent
    const other = { text: "take a matter", stems: { ...stemmed.stems, words: [{ word: "take", stem: "take" }, { word: "a", stem: "" }, { word: "matter", stem: "matter" }] } };
    expect(matchKeyword(other, "take the matter")).toEqual({ keyword: "take the matter", matched: "take a matter", by: "stem" });
  });

  it("never matches on stop words alone, and without stems matches whole words only", () => {
    expect(matchKeyword({ ...stemmed, text: "x" }, "the")).toBeNull();
    expect(matchKeyword({ text: stemmed.text }, "lawyer")).toBeNull();
  });
});
