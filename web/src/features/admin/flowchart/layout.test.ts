import { describe, expect, it } from "vitest";
import type { PolicyPaths } from "../../../api/policy";
import { humanDuration } from "./duration";
import { BOX_H, layoutPaths } from "./layout";

const L1 = "00000000-0000-4000-8000-000000000001";
const L2 = "00000000-0000-4000-8000-000000000002";
const FRONT = "00000000-0000-4000-8000-0000000000f1";
const BILLING = "00000000-0000-4000-8000-0000000000b1";
const RULE = "00000000-0000-4000-8000-0000000000a1";
const SLA = "00000000-0000-4000-8000-0000000000c1";

const paths: PolicyPaths = {
  nodes: [
    { id: "entry", kind: "entry", label: "New ticket" },
    { id: "next_level", kind: "next_level", label: "One level up" },
    // Out of rank order on purpose: lanes follow the rank, L1 first.
    { id: `level:${L2}`, kind: "level", label: "L2 Specialists", rank: 2 },
    { id: `level:${L1}`, kind: "level", label: "L1 Frontline", rank: 1 },
    { id: `team:${BILLING}`, kind: "team", label: "Billing", levelId: L2 },
    { id: `team:${FRONT}`, kind: "team", label: "Frontline", levelId: L1 },
    { id: `sla:${SLA}`, kind: "sla_policy", label: "SLA: Standard" },
    { id: "role:lead", kind: "role", label: "a lead" },
  ],
  edges: [
    { from: `level:${L1}`, to: `level:${L2}`, kind: "next_level", label: "next level" },
    { from: `team:${BILLING}`, to: `level:${L2}`, kind: "on_level", label: "specialist" },
    { from: `team:${FRONT}`, to: `level:${L1}`, kind: "on_level", label: "frontline" },
    { from: "entry", to: `team:${FRONT}`, kind: "intake", label: "lands on the frontline team of the lowest level" },
    { from: "entry", to: `team:${BILLING}`, kind: "rule", label: "Payments (functional, needs_expertise)", detail: "on ticket.created: text contains any payment", ruleId: RULE },
    {
      from: `sla:${SLA}`,
      to: "role:lead",
      kind: "sla_step",
      label: "first_response missed + PT30M",
      policyId: SLA,
      metric: "first_response",
      after: "PT30M",
      targets: { normal: "PT4H", urgent: "PT1H" },
    },
    { from: `sla:${SLA}`, to: "next_level", kind: "sla_step", label: "resolution missed, again every PT10H (at most 2×)", policyId: SLA, metric: "resolution", after: "PT0S", repeatEvery: "PT10H", maxRepeats: 2, targets: { normal: "P5D" } },
    { from: `sla:${SLA}`, to: "next_level", kind: "ack_timeout", label: "escalation not acknowledged within PT2H", policyId: SLA, timeout: "PT2H" },
  ],
};

describe("the flowchart layout", () => {
  const layout = layoutPaths(paths);

  it("puts the start, then one lane per level from L1 up, then the relative targets, left to right", () => {
    expect(layout.lanes.map((l) => l.title)).toEqual(["Start", "L1 Frontline", "L2 Specialists", "Relative targets"]);
    const xs = layout.lanes.map((l) => l.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const laneOf = (id: string) => layout.boxes.find((b) => b.id === id)!.laneId;
    expect(laneOf(`team:${FRONT}`)).toBe(`lane:level:${L1}`);
    expect(laneOf(`team:${BILLING}`)).toBe(`lane:level:${L2}`);
    expect(laneOf("role:lead")).toBe("lane:relative");
    expect(layout.boxes.find((b) => b.id === "role:lead")!.label).toBe("A team lead");
    expect(layout.boxes.find((b) => b.id === `team:${BILLING}`)).toMatchObject({ sub: "Specialist team", href: `/admin/teams?selected=${BILLING}` });
  });

  it("draws rules, SLA steps and timeouts (not the ladder or membership) with their timings and where they are set", () => {
    expect(layout.links.map((l) => [l.kind, l.title, l.timing ?? null, l.href ?? null])).toEqual([
      ["intake", "New tickets land here", null, null],
      ["rule", "Payments (functional, needs_expertise)", null, `/admin/rules?selected=${RULE}`],
      ["sla_step", "First response breached + 30 min", "First response target: urgent 1 h · normal 4 h", `/admin/sla?selected=${SLA}`],
      ["sla_step", "Resolution breached, again every 10 h (at most 2×)", "Resolution target: normal 5 d", `/admin/sla?selected=${SLA}`],
      ["ack_timeout", "Escalation not acknowledged within 2 h", null, `/admin/sla?selected=${SLA}`],
    ]);
  });

  it("stacks the labels of one source without overlap, beside it, and keeps sources apart", () => {
    const fromSla = layout.links.filter((l) => l.from === `sla:${SLA}`).map((l) => l.labelY);
    expect(fromSla).toEqual([...fromSla].sort((a, b) => a - b));
    expect(new Set(fromSla).size).toBe(fromSla.length);
    const entry = layout.boxes.find((b) => b.id === "entry")!;
    const sla = layout.boxes.find((b) => b.id === `sla:${SLA}`)!;
    expect(sla.y).toBeGreaterThan(entry.y + BOX_H);
    expect(Math.max(...layout.links.filter((l) => l.from === "entry").map((l) => l.labelY))).toBeLessThan(Math.min(...fromSla));
  });
});

describe("durations in words", () => {
  it("reads ISO 8601 durations as a person would", () => {
    expect(humanDuration("PT30M")).toBe("30 min");
    expect(humanDuration("P1DT2H")).toBe("1 d 2 h");
    expect(humanDuration("P1W")).toBe("7 d");
    expect(humanDuration("PT0S")).toBe("0 min");
    expect(humanDuration("soon")).toBe("soon");
  });
});
