import { describe, expect, it } from "vitest";
import { matchPolicy, targetMsOf, type SlaPolicy, type TicketFacts } from "./policy.js";

const base: Omit<SlaPolicy, "id" | "name" | "position" | "conditions"> = {
  active: true,
  calendarId: null,
  pauseStatuses: ["pending", "on_hold"],
  targets: { first_response: { urgent: "PT30M", normal: "PT4H" } },
  steps: [],
  ackTimeout: null,
  resolutionCountsAsResponse: false,
};
const policy = (name: string, position: number, conditions: SlaPolicy["conditions"], extra: Partial<SlaPolicy> = {}): SlaPolicy => ({
  ...base,
  id: name,
  name,
  position,
  conditions,
  ...extra,
});
const facts: TicketFacts = { priority: "urgent", channel: "email", category: "billing", teamId: "t1", customerTier: "vip" };

describe("matchPolicy", () => {
  it("takes the first matching policy by position", () => {
    const policies = [policy("catch-all", 100, {}), policy("vip", 10, { customerTiers: ["vip"] }), policy("urgent", 20, { priorities: ["urgent"] })];
    expect(matchPolicy(policies, facts)?.name).toBe("vip");
    expect(matchPolicy(policies, { ...facts, customerTier: "standard" })?.name).toBe("urgent");
    expect(matchPolicy(policies, { ...facts, customerTier: "standard", priority: "low" })?.name).toBe("catch-all");
  });
  it("needs every condition to hold", () => {
    const p = policy("vip billing by email", 1, { customerTiers: ["vip"], categories: ["billing"], channels: ["email"], teamIds: ["t1"] });
    expect(matchPolicy([p], facts)?.name).toBe("vip billing by email");
    expect(matchPolicy([p], { ...facts, channel: "chat" })).toBeNull();
    expect(matchPolicy([p], { ...facts, category: null })).toBeNull();
    expect(matchPolicy([p], { ...facts, teamId: "t2" })).toBeNull();
  });
  it("skips inactive policies", () => {
    expect(matchPolicy([policy("off", 1, {}, { active: false }), policy("on", 2, {})], facts)?.name).toBe("on");
  });
});

describe("targetMsOf", () => {
  it("reads the target for the priority, or none", () => {
    const p = policy("p", 1, {});
    expect(targetMsOf(p, "first_response", "urgent")).toBe(30 * 60_000);
    expect(targetMsOf(p, "first_response", "low")).toBeNull();
    expect(targetMsOf(p, "resolution", "urgent")).toBeNull();
  });
});
