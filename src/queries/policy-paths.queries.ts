import { asc, eq } from "drizzle-orm";
import { escalationRules, levels, slaPolicies, teams } from "../db/schema.js";
import type { Rule } from "../domain/rules/match-rules.js";
import type { SlaPolicy } from "../domain/sla/policy.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { RuleConditionSpec } from "../schemas/rule.schemas.js";
import type { CommandContext } from "../commands/context.js";
import type { Priority, SlaMetric } from "../domain/vocabulary.js";

export type PathNode = { id: string; kind: "entry" | "level" | "team" | "role" | "next_level" | "sla_policy"; label: string; levelId?: string; rank?: number };
export type PathEdge = {
  from: string;
  to: string;
  kind: "intake" | "on_level" | "next_level" | "rule" | "sla_step" | "ack_timeout";
  label: string;
  detail?: string;
  ruleId?: string;
  policyId?: string;
  metric?: SlaMetric;
  after?: string;
  repeatEvery?: string;
  maxRepeats?: number;
  targets?: Partial<Record<Priority, string>>;
  timeout?: string;
};

/**
 * The escalation paths as a graph for the flowchart: levels, teams and roles as nodes; as edges, where new
 * tickets land, which team sits on which level, the level ladder, and every active rule, SLA escalation
 * step and acknowledgement timeout with its conditions and timing. `next_level` stands for "one level up
 * from wherever the ticket is".
 */
export async function policyPaths(ctx: CommandContext): Promise<{ nodes: PathNode[]; edges: PathEdge[] }> {
  authorizeOrganisation(ctx.actor, "read", "escalation paths");
  const levelRows = await ctx.db.select().from(levels).orderBy(asc(levels.rank));
  const teamRows = await ctx.db.select().from(teams).orderBy(asc(teams.name));
  const rules = (await ctx.db.select().from(escalationRules).where(eq(escalationRules.active, true)).orderBy(asc(escalationRules.position))) as unknown as Rule[];
  const policies = (await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.active, true)).orderBy(asc(slaPolicies.position))) as unknown as SlaPolicy[];

  const nodes: PathNode[] = [{ id: "entry", kind: "entry", label: "New ticket" }, { id: "next_level", kind: "next_level", label: "One level up" }];
  const edges: PathEdge[] = [];
  for (const l of levelRows) nodes.push({ id: `level:${l.id}`, kind: "level", label: l.name, rank: l.rank });
  levelRows.slice(1).forEach((l, i) => edges.push({ from: `level:${levelRows[i]!.id}`, to: `level:${l.id}`, kind: "next_level", label: "next level" }));
  for (const t of teamRows) {
    nodes.push({ id: `team:${t.id}`, kind: "team", label: t.name, levelId: t.levelId });
    edges.push({ from: `team:${t.id}`, to: `level:${t.levelId}`, kind: "on_level", label: t.kind });
  }
  const rank = new Map(levelRows.map((l) => [l.id, l.rank]));
  const landing = teamRows.filter((t) => t.kind === "frontline").sort((a, b) => rank.get(a.levelId)! - rank.get(b.levelId)!)[0];
  if (landing) edges.push({ from: "entry", to: `team:${landing.id}`, kind: "intake", label: "lands on the frontline team of the lowest level" });

  const roleNode = (role: string) => {
    const id = `role:${role}`;
    if (!nodes.some((n) => n.id === id)) nodes.push({ id, kind: "role", label: `a ${role}` });
    return id;
  };
  for (const rule of rules) {
    for (const action of rule.actions) {
      const to = action.type === "route" || action.type === "escalate" ? (action.teamId ? `team:${action.teamId}` : "next_level") : null;
      if (!to) continue;
      edges.push({
        from: "entry",
        to,
        kind: "rule",
        label: `${rule.name}${action.type === "escalate" ? ` (${action.kind}, ${action.reason})` : " (route)"}`,
        detail: describeConditions(rule),
        ruleId: rule.id,
      });
    }
  }
  for (const policy of policies) {
    const from = `sla:${policy.id}`;
    nodes.push({ id: from, kind: "sla_policy", label: `SLA: ${policy.name}` });
    for (const step of policy.steps) {
      if (step.type !== "escalate") continue;
      const to = step.to.kind === "next_level" ? "next_level" : step.to.kind === "team" ? `team:${step.to.teamId}` : roleNode(step.to.role);
      const repeat = step.repeatEvery ? `, again every ${step.repeatEvery} (at most ${step.maxRepeats}×)` : "";
      edges.push({
        from,
        to,
        kind: "sla_step",
        label: `${step.metric} missed${!step.after || step.after === "PT0S" ? "" : ` + ${step.after}`}${repeat}`,
        ...(step.raisePriority ? { detail: "raises the priority" } : {}),
        // The parts of the label as data, so a client can word them in its own language.
        policyId: policy.id,
        metric: step.metric,
        after: step.after ?? "PT0S",
        ...(step.repeatEvery ? { repeatEvery: step.repeatEvery, maxRepeats: step.maxRepeats } : {}),
        targets: { ...policy.targets[step.metric] },
      });
    }
    if (policy.ackTimeout) {
      edges.push({ from, to: "next_level", kind: "ack_timeout", label: `escalation not acknowledged within ${policy.ackTimeout}`, policyId: policy.id, timeout: policy.ackTimeout });
    }
  }
  return { nodes, edges };
}

function describeConditions(rule: Rule): string {
  if (rule.conditions.length === 0) return `on ${rule.triggers.join(", ")}: always`;
  const parts = rule.conditions.map((c: RuleConditionSpec) => `${c.field} ${c.op.replace("_", " ")} ${Array.isArray(c.value) ? c.value.join("/") : String(c.value)}`);
  return `on ${rule.triggers.join(", ")}: ${parts.join(rule.match === "all" ? " and " : " or ")}`;
}
