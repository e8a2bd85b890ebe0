import { describe, expect, it } from "vitest";
import { chooseNextLevelTeam, type NextLevelCandidate } from "./choose-next-level-team.js";

const team = (name: string, kind: NextLevelCandidate["kind"], levelRank: number, categories: string[] = []): NextLevelCandidate => ({
  id: name.toLowerCase(),
  name,
  kind,
  categories,
  levelRank,
  levelName: `L${levelRank}`,
});

const frontline = team("Frontline", "frontline", 1);
const billing = team("Billing", "specialist", 2, ["billing", "Refunds"]);
const printers = team("Printers", "specialist", 2, ["printer"]);
const printers2 = team("Print Lab", "specialist", 2, ["printer"]);
const duty = team("Duty Managers", "management", 2);
const l2Frontline = team("Second Line", "frontline", 2);
const management = team("Management", "management", 3);
const all = [frontline, billing, printers, duty, l2Frontline, management];

const choose = (teams: NextLevelCandidate[], rank: number, category: string | null, load: Record<string, number> = {}) => {
  const choice = chooseNextLevelTeam(teams, rank, category, new Map(Object.entries(load)));
  return choice && { team: choice.team.name, why: choice.why };
};

describe("chooseNextLevelTeam", () => {
  it("takes the next-level team owning the ticket's category, not the first by name", () => {
    expect(choose(all, 1, "printer")).toEqual({ team: "Printers", why: "owns category printer" });
  });

  it("matches categories without case or surrounding spaces, as customers and agents type them", () => {
    expect(choose(all, 1, "  REFUNDS ")).toEqual({ team: "Billing", why: "owns category REFUNDS" });
  });

  it("then the level's management team, then its frontline team", () => {
    expect(choose(all, 1, "warranty")).toEqual({ team: "Duty Managers", why: "management team of L2" });
    expect(choose(all, 1, null)).toEqual({ team: "Duty Managers", why: "management team of L2" });
    expect(choose([frontline, billing, l2Frontline, management], 1, "warranty")).toEqual({ team: "Second Line", why: "frontline team of L2" });
  });

  it("falls back to any team of the level when it has only specialists and none owns the category", () => {
    expect(choose([frontline, billing, printers, management], 1, "warranty", { billing: 4, printers: 2 })).toEqual({
      team: "Printers",
      why: "team of L2; lowest open load 2",
    });
  });

  it("among several candidates takes the one with the lowest open load, then by name", () => {
    const teams = [frontline, printers, printers2, management];
    expect(choose(teams, 1, "printer", { printers: 3, "print lab": 5 })).toEqual({ team: "Printers", why: "owns category printer; lowest open load 3" });
    expect(choose(teams, 1, "printer", { printers: 6, "print lab": 5 })).toEqual({ team: "Print Lab", why: "owns category printer; lowest open load 5" });
    expect(choose(teams, 1, "printer")).toEqual({ team: "Print Lab", why: "owns category printer; lowest open load 0" });
  });

  it("only looks one level up, skipping levels without teams, and gives null on the highest level", () => {
    expect(choose(all, 2, "printer")).toEqual({ team: "Management", why: "management team of L3" });
    expect(choose([frontline, management], 1, null)).toEqual({ team: "Management", why: "management team of L3" });
    expect(choose(all, 3, null)).toBeNull();
  });
});
