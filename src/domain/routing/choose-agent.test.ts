import { describe, expect, it } from "vitest";
import { chooseAgent, type RoutingCandidate } from "./choose-agent.js";

const agent = (name: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  id: name,
  name,
  skills: [],
  languages: ["en"],
  availability: "online",
  openTickets: 0,
  capacity: 8,
  lastAssignedAt: null,
  onShift: true,
  ...over,
});

describe("chooseAgent", () => {
  it("routes only to agents within their working hours", () => {
    const choice = chooseAgent([agent("Ana", { onShift: false }), agent("Ben", { openTickets: 6 })], { category: null, language: null });
    expect(choice).toEqual({ agentId: "Ben", why: "Ben: load 6/8" });
    expect(chooseAgent([agent("Ana", { onShift: false })], { category: null, language: null })).toEqual({
      agentId: null,
      why: "nobody online is within their working hours",
    });
  });
  it("prefers the skill, then the lowest load, and explains the choice", () => {
    const choice = chooseAgent(
      [agent("Ana", { skills: ["billing"], openTickets: 3 }), agent("Ben", { openTickets: 0 }), agent("Cleo", { skills: ["billing"], openTickets: 5 })],
      { category: "billing", language: null },
    );
    expect(choice).toEqual({ agentId: "Ana", why: "Ana: skill billing, load 3/8" });
  });
  it("skips agents who are away, offline or full", () => {
    const choice = chooseAgent(
      [agent("Ana", { availability: "away" }), agent("Ben", { availability: "offline" }), agent("Cleo", { openTickets: 8 }), agent("Dev", { openTickets: 7 })],
      { category: null, language: null },
    );
    expect(choice.agentId).toBe("Dev");
    expect(chooseAgent([agent("Ana", { availability: "away" })], { category: null, language: null })).toEqual({ agentId: null, why: "nobody in the team is online" });
    expect(chooseAgent([agent("Ana", { openTickets: 8 })], { category: null, language: null })).toEqual({ agentId: null, why: "everyone online is at capacity" });
  });
  it("matches the language when someone speaks it, and compares load against capacity", () => {
    const choice = chooseAgent([agent("Ana", { openTickets: 1, capacity: 10 }), agent("Ben", { languages: ["en", "de"], openTickets: 4, capacity: 10 })], { category: null, language: "de" });
    expect(choice).toEqual({ agentId: "Ben", why: "Ben: speaks de, load 4/10" });
    expect(chooseAgent([agent("Ana", { openTickets: 2, capacity: 4 }), agent("Ben", { openTickets: 3, capacity: 12 })], { category: null, language: null }).agentId).toBe("Ben");
  });
  it("takes turns among equals: whoever was served longest ago", () => {
    const choice = chooseAgent(
      [agent("Ana", { lastAssignedAt: new Date("2026-03-02T10:00:00Z") }), agent("Ben", { lastAssignedAt: new Date("2026-03-02T09:00:00Z") }), agent("Cleo", { lastAssignedAt: new Date("2026-03-02T11:00:00Z") })],
      { category: null, language: null },
    );
    expect(choice.agentId).toBe("Ben");
  });
});
