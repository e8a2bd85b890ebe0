import { z } from "zod";
import { AGENT_ROLES } from "../domain/vocabulary.js";
import { RoleLimitBody } from "../schemas/authority.schemas.js";
import { CreateCalendarBody } from "../schemas/calendar.schemas.js";
import { Name } from "../schemas/common.js";
import { CreateLevelBody, CreateTeamBody } from "../schemas/organisation.schemas.js";
import { CreateRuleBody, RuleAction } from "../schemas/rule.schemas.js";
import { CreateSlaPolicyBody, SlaConditions, SlaStep } from "../schemas/sla.schemas.js";

/*
 * The whole escalation policy as one portable document. Everything refers to everything else by name,
 * never by id, so a file exported from one installation means the same in another. The field schemas are
 * the API's own (src/schemas), with the id references swapped for names.
 */

export const POLICY_VERSION = 1;

const PolicyLevel = CreateLevelBody;
const PolicyTeam = CreateTeamBody.omit({ levelId: true }).extend({ level: Name });
const PolicyCalendar = CreateCalendarBody;

const PolicySlaConditions = SlaConditions.omit({ teamIds: true }).extend({ teams: z.array(Name).optional() }).strict();

const [WarningStep, EscalateStep] = SlaStep.options;
const PolicyEscalationTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("next_level") }),
  z.object({ kind: z.literal("team"), team: Name }),
  z.object({ kind: z.literal("role"), role: z.enum(AGENT_ROLES).exclude(["agent"]) }),
]);
const PolicySlaStep = z.discriminatedUnion("type", [WarningStep, EscalateStep.extend({ to: PolicyEscalationTarget.default({ kind: "next_level" }) })]);

const PolicySlaPolicy = CreateSlaPolicyBody.omit({ calendarId: true, conditions: true, steps: true }).extend({
  /** The calendar the targets count in, by name; null: around the clock. */
  calendar: Name.nullable().default(null),
  conditions: PolicySlaConditions.default({}),
  steps: z.array(PolicySlaStep).max(50).default([]),
});

const [RouteAction, SetPriorityAction, AddTagsAction, EscalateAction, NotifyAction, RequireAckAction] = RuleAction.options;
const PolicyRuleAction = z.discriminatedUnion("type", [
  RouteAction.omit({ teamId: true }).extend({ team: Name }),
  SetPriorityAction,
  AddTagsAction,
  EscalateAction.omit({ teamId: true }).extend({ team: Name.optional() }),
  NotifyAction,
  RequireAckAction,
]);

// CreateRuleBody carries refinements, so its shape is copied into a fresh object and the refinements restated.
const PolicyRule = z
  .object({ ...CreateRuleBody.shape, conditions: CreateRuleBody.shape.conditions.default([]), actions: z.array(PolicyRuleAction).min(1).max(20) })
  .refine((r) => r.actions.filter((a) => a.type === "escalate").length <= 1, { message: "a rule escalates at most once", path: ["actions"] })
  .refine((r) => !r.actions.some((a) => a.type === "require_ack") || r.actions.some((a) => a.type === "escalate"), {
    message: "require_ack needs an escalate action in the same rule",
    path: ["actions"],
  });

type Path = (string | number)[];
type Issue = { path: Path; message: string };

/** Reports each repeat of a key after its first occurrence, at the repeating entry. Holes are skipped. */
function duplicates<T>(items: (T | undefined)[], key: (item: T) => string | number, field: string, what: string): Issue[] {
  const seen = new Set<string | number>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    if (item === undefined) return;
    const k = key(item);
    if (seen.has(k)) issues.push({ path: [i, field], message: `${what} "${k}" appears more than once` });
    seen.add(k);
  });
  return issues;
}

type Sections = z.infer<typeof PolicyShape>;
type ListSection = Exclude<keyof Sections, "version">;

/**
 * A document's lists with the entries that have the right shape; an entry that does not is a hole, so
 * the positions (and error paths) stay those of the file.
 */
export type PolicyEntries = { [K in ListSection]: (Sections[K][number] | undefined)[] };

/** The names a document defines, read from every entry that has a name (valid or not). */
export type DefinedNames = { levels: Set<string>; teams: Set<string>; calendars: Set<string> };

/**
 * The cross-references of a document: unique names, and every name it uses defined. Entries that are
 * holes (shape errors reported elsewhere) are not checked, but their names count as defined, so a team
 * with a typo in its kind does not also make every rule naming it an error.
 */
export function crossReferenceIssues(doc: PolicyEntries, defined: DefinedNames): Issue[] {
  const issues: Issue[] = [];
  const under = (prefix: Path, list: Issue[]) => list.forEach((i) => issues.push({ path: [...prefix, ...i.path], message: i.message }));
  under(["levels"], duplicates(doc.levels, (l) => l.name, "name", "level"));
  under(["levels"], duplicates(doc.levels, (l) => l.rank, "rank", "rank"));
  under(["teams"], duplicates(doc.teams, (t) => t.name, "name", "team"));
  under(["calendars"], duplicates(doc.calendars, (c) => c.name, "name", "calendar"));
  under(["slaPolicies"], duplicates(doc.slaPolicies, (p) => p.name, "name", "SLA policy"));
  under(["rules"], duplicates(doc.rules, (r) => r.name, "name", "rule"));
  under(["authorityLimits"], duplicates(doc.authorityLimits, (l) => `${l.role}/${l.type}`, "type", "limit"));

  const knownTeam = (name: string, path: Path) => {
    if (!defined.teams.has(name)) issues.push({ path, message: `no team named "${name}" in teams` });
  };
  doc.teams.forEach((t, i) => {
    if (t && !defined.levels.has(t.level)) issues.push({ path: ["teams", i, "level"], message: `no level named "${t.level}" in levels` });
  });
  doc.slaPolicies.forEach((p, i) => {
    if (!p) return;
    if (p.calendar !== null && !defined.calendars.has(p.calendar)) {
      issues.push({ path: ["slaPolicies", i, "calendar"], message: `no calendar named "${p.calendar}" in calendars` });
    }
    p.conditions.teams?.forEach((name, j) => knownTeam(name, ["slaPolicies", i, "conditions", "teams", j]));
    p.steps.forEach((s, j) => {
      if (s.type === "escalate" && s.to.kind === "team") knownTeam(s.to.team, ["slaPolicies", i, "steps", j, "to", "team"]);
    });
  });
  doc.rules.forEach((r, i) => {
    r?.actions.forEach((a, j) => {
      if ((a.type === "route" || a.type === "escalate") && a.team !== undefined) knownTeam(a.team, ["rules", i, "actions", j, "team"]);
    });
  });
  return issues;
}

/** The schema of one entry of each list of the document. */
export const POLICY_ENTRY_SCHEMAS = {
  levels: PolicyLevel,
  teams: PolicyTeam,
  calendars: PolicyCalendar,
  slaPolicies: PolicySlaPolicy,
  rules: PolicyRule,
  authorityLimits: RoleLimitBody,
} as const;

const PolicyShape = z
  .object({
    version: z.literal(POLICY_VERSION),
    levels: z.array(PolicyLevel).max(100).default([]),
    teams: z.array(PolicyTeam).max(1000).default([]),
    calendars: z.array(PolicyCalendar).max(1000).default([]),
    slaPolicies: z.array(PolicySlaPolicy).max(1000).default([]),
    rules: z.array(PolicyRule).max(1000).default([]),
    /** What each role may grant without approval (an agent's own limits are not part of the policy). */
    authorityLimits: z.array(RoleLimitBody).max(AGENT_ROLES.length * 4).default([]),
  })
  .strict();

/** The names defined by a document that parsed. */
function namesOf(doc: Sections): DefinedNames {
  return {
    levels: new Set(doc.levels.map((l) => l.name)),
    teams: new Set(doc.teams.map((t) => t.name)),
    calendars: new Set(doc.calendars.map((c) => c.name)),
  };
}

/**
 * The escalation policy: levels, teams, calendars, SLA policies, the escalation matrix and the role
 * authority limits, cross-referenced by name. Cross-references are checked once the shape is right (zod
 * runs the refinement only then); their errors carry the path of the offending name.
 */
export const PolicyDocument = PolicyShape.superRefine((doc, ctx) => {
  for (const issue of crossReferenceIssues(doc, namesOf(doc))) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
}).meta({ title: "Tierline escalation policy" });

export type PolicyDocumentInput = z.input<typeof PolicyDocument>;
export type PolicyDocumentValue = z.infer<typeof PolicyDocument>;

/** The JSON Schema of a policy file, as an editor validates what a person types (the input side of the schema). */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicyDocument, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
