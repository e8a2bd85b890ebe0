import type { PathEdge, PathNode, PolicyPaths } from "../../../api/policy";
import { t, type MessageKey } from "../../../i18n";
import { humanDuration } from "./duration";

/** The kinds of path the flowchart draws; the level ladder and team membership are drawn as lanes instead. */
export type LinkKind = "intake" | "rule" | "sla_step" | "ack_timeout";
export const LINK_KINDS: readonly LinkKind[] = ["intake", "rule", "sla_step", "ack_timeout"];

/** A column of the chart: the start (new tickets, SLA policies), one per level from L1 up, the relative targets. */
export type FlowLane = { id: string; title: string; subtitle?: string; x: number; width: number };
export type FlowBox = { id: string; kind: PathNode["kind"]; label: string; sub?: string; laneId: string; x: number; y: number; href?: string };
export type FlowLink = {
  id: string;
  from: string;
  to: string;
  kind: LinkKind;
  /** What the path is ("first response breached + 30 min"). */
  title: string;
  /** Its timings beyond the title (the targets per priority), if any. */
  timing?: string;
  /** Its conditions or side effects, as the server words them. */
  detail?: string;
  /** The admin page of the rule or SLA policy it comes from. */
  href?: string;
  /** Where its label sits (top-left corner, in chart coordinates) and how wide it is. */
  labelX: number;
  labelY: number;
};
export type FlowLayout = { lanes: FlowLane[]; boxes: FlowBox[]; links: FlowLink[]; width: number; height: number };

export const BOX_W = 190;
export const BOX_H = 52;
export const LABEL_W = 250;
const LANE_PAD = 20;
const HEADER = 56;
const LABEL_GAP = 14;
const LANE_GAP = 70;
const BOX_GAP = 36;
const LABEL_LINE = 18;
const CHARS_PER_LINE = 32;

const PRIORITY_ORDER = ["urgent", "high", "normal", "low"] as const;

const metricName = (metric: string) => t(`policy.metric.${metric}` as MessageKey);
const idOf = (nodeId: string) => nodeId.slice(nodeId.indexOf(":") + 1);

/** The words of one path: what starts it, its timings and where it is configured. */
export function describeEdge(edge: PathEdge): Pick<FlowLink, "title" | "timing" | "detail" | "href"> {
  switch (edge.kind) {
    case "intake":
      return { title: t("policy.flow.intake") };
    case "rule":
      return { title: edge.label, ...(edge.detail ? { detail: edge.detail } : {}), ...(edge.ruleId ? { href: `/admin/rules?selected=${edge.ruleId}` } : {}) };
    case "sla_step": {
      const metric = metricName(edge.metric ?? "resolution");
      const after = edge.after && edge.after !== "PT0S" ? edge.after : null;
      let title = after ? t("policy.flow.slaStepAfter", { metric, after: humanDuration(after) }) : t("policy.flow.slaStep", { metric });
      if (edge.repeatEvery) title += t("policy.flow.repeat", { every: humanDuration(edge.repeatEvery), max: edge.maxRepeats ?? 1 });
      const targets = PRIORITY_ORDER.filter((p) => edge.targets?.[p]).map((p) =>
        t("policy.flow.target", { priority: t(`policy.priority.${p}` as MessageKey), duration: humanDuration(edge.targets![p]!) }),
      );
      return {
        title,
        ...(targets.length ? { timing: t("policy.flow.targets", { metric, targets: targets.join(" · ") }) } : {}),
        ...(edge.detail ? { detail: edge.detail } : {}),
        ...(edge.policyId ? { href: `/admin/sla?selected=${edge.policyId}` } : {}),
      };
    }
    case "ack_timeout":
      return {
        title: t("policy.flow.ackTimeout", { timeout: humanDuration(edge.timeout ?? "PT0S") }),
        ...(edge.policyId ? { href: `/admin/sla?selected=${edge.policyId}` } : {}),
      };
    default:
      return { title: edge.label };
  }
}

/** A node's name as the chart shows it. */
export function nodeLabel(node: PathNode): string {
  if (node.kind === "entry") return t("policy.flow.entry");
  if (node.kind === "next_level") return t("policy.flow.nextLevel");
  if (node.kind === "role") return t("policy.flow.role", { role: t(`policy.role.${idOf(node.id)}` as MessageKey) });
  if (node.kind === "sla_policy") return node.label.replace(/^SLA: /, "");
  return node.label;
}

// A label's height from its text: titles wrap at about CHARS_PER_LINE characters in LABEL_W pixels.
function labelHeight(link: Pick<FlowLink, "title" | "timing" | "detail">): number {
  const lines = [link.title, link.timing, link.detail].filter((s): s is string => !!s).reduce((n, s) => n + Math.ceil(s.length / CHARS_PER_LINE), 0);
  return lines * LABEL_LINE + 14;
}

/**
 * Lays the escalation paths out in lanes, left to right: the start (new tickets and the SLA policies whose
 * steps fire), then one lane per level from the lowest rank up, then the targets that depend on where the
 * ticket is ("one level up", "a lead"). Every path starts in the start lane, so its label sits in the gap
 * right of it, stacked beside the node it starts from; the line then runs on to its target.
 */
export function layoutPaths(paths: PolicyPaths): FlowLayout {
  const nodes = new Map(paths.nodes.map((n) => [n.id, n]));
  const levels = paths.nodes.filter((n) => n.kind === "level").sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const teamKind = new Map(paths.edges.filter((e) => e.kind === "on_level").map((e) => [e.from, e.label]));
  const drawn = paths.edges.filter((e): e is PathEdge & { kind: LinkKind } => (LINK_KINDS as readonly string[]).includes(e.kind) && nodes.has(e.from) && nodes.has(e.to));

  const lanes: FlowLane[] = [];
  let x = 0;
  const addLane = (lane: Omit<FlowLane, "x" | "width">, width = BOX_W + 2 * LANE_PAD) => {
    lanes.push({ ...lane, x, width });
    x += width + LANE_GAP;
  };
  addLane({ id: "lane:start", title: t("policy.flow.lane.start") });
  const labelX = x - LANE_GAP + 30;
  x = labelX + LABEL_W + LANE_GAP;
  for (const level of levels) addLane({ id: `lane:${level.id}`, title: level.label, subtitle: t("policy.flow.lane.level", { rank: level.rank ?? 0 }) });
  const relative = paths.nodes.some((n) => (n.kind === "next_level" || n.kind === "role") && drawn.some((e) => e.to === n.id));
  if (relative) addLane({ id: "lane:relative", title: t("policy.flow.lane.relative") });
  const laneX = (id: string) => lanes.find((l) => l.id === id)!.x + LANE_PAD;

  const boxes: FlowBox[] = [];
  const links: FlowLink[] = [];

  // The start lane: each source with the labels of its paths stacked beside it.
  const sources = paths.nodes.filter((n) => n.kind === "entry" || n.kind === "sla_policy");
  let cursor = HEADER;
  for (const source of sources) {
    const own = drawn.filter((e) => e.from === source.id).map((e, i) => ({ edge: e, words: describeEdge(e), i }));
    const heights = own.map((o) => labelHeight(o.words));
    const stack = heights.reduce((a, b) => a + b, 0) + Math.max(0, heights.length - 1) * LABEL_GAP;
    const top = cursor;
    boxes.push({
      id: source.id,
      kind: source.kind,
      label: nodeLabel(source),
      ...(source.kind === "sla_policy" ? { sub: t("policy.flow.slaPolicy"), href: `/admin/sla?selected=${idOf(source.id)}` } : {}),
      laneId: "lane:start",
      x: laneX("lane:start"),
      y: top + Math.max(0, (stack - BOX_H) / 2),
    });
    let y = top;
    own.forEach((o, i) => {
      links.push({ id: `${o.edge.kind}:${o.edge.from}:${o.edge.to}:${o.i}`, from: o.edge.from, to: o.edge.to, kind: o.edge.kind, ...o.words, labelX, labelY: y });
      y += heights[i]! + LABEL_GAP;
    });
    cursor = top + Math.max(stack, BOX_H) + BOX_GAP;
  }

  // The level lanes, then the relative targets, stacked in their lanes.
  for (const level of levels) {
    const teams = paths.nodes.filter((n) => n.kind === "team" && n.levelId === idOf(level.id)).sort((a, b) => a.label.localeCompare(b.label));
    teams.forEach((team, i) => {
      const kind = teamKind.get(team.id);
      boxes.push({
        id: team.id,
        kind: "team",
        label: team.label,
        ...(kind ? { sub: t(`policy.teamKind.${kind}` as MessageKey) } : {}),
        href: `/admin/teams?selected=${idOf(team.id)}`,
        laneId: `lane:${level.id}`,
        x: laneX(`lane:${level.id}`),
        y: HEADER + i * (BOX_H + BOX_GAP) + 40,
      });
    });
  }
  if (relative) {
    const targets = paths.nodes.filter((n) => (n.kind === "next_level" || n.kind === "role") && drawn.some((e) => e.to === n.id));
    targets.forEach((n, i) => boxes.push({ id: n.id, kind: n.kind, label: nodeLabel(n), laneId: "lane:relative", x: laneX("lane:relative"), y: HEADER + i * (BOX_H + BOX_GAP) + 40 }));
  }

  const placed = new Set(boxes.map((b) => b.id));
  const height = Math.max(cursor, ...boxes.map((b) => b.y + BOX_H + BOX_GAP)) + LANE_PAD;
  return { lanes, boxes, links: links.filter((l) => placed.has(l.to)), width: x - LANE_GAP, height };
}
