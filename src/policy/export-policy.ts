import { asc } from "drizzle-orm";
import { stringify } from "yaml";
import { createHash } from "node:crypto";
import type { CommandContext } from "../commands/context.js";
import type { Db, Tx } from "../db/store.js";
import { calendars, escalationRules, levels, roleLimits, slaPolicies, teams } from "../db/schema.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { RuleActionSpec, RuleConditionSpec } from "../schemas/rule.schemas.js";
import type { SlaStepSpec } from "../schemas/sla.schemas.js";
import { POLICY_VERSION, type PolicyDocumentInput, type PolicyDocumentValue } from "./policy-document.js";

type Json = Record<string, unknown>;

/**
 * The escalation policy in the store as a portable document: ids replaced by names, each list in a stable
 * order (levels by rank; SLA policies and rules by position, then name; the rest by name). Staff may read it.
 */
export async function exportPolicy(ctx: CommandContext): Promise<PolicyDocumentInput> {
  authorizeOrganisation(ctx.actor, "read", "the policy");
  return readPolicy(ctx.db);
}

/** The policy in the store, read through `db` (a transaction, when applying). */
export async function readPolicy(db: Db | Tx): Promise<PolicyDocumentInput> {
  const levelRows = await db.select().from(levels).orderBy(asc(levels.rank));
  const teamRows = await db.select().from(teams).orderBy(asc(teams.name));
  const calendarRows = await db.select().from(calendars).orderBy(asc(calendars.name));
  const policyRows = await db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.name));
  const ruleRows = await db.select().from(escalationRules).orderBy(asc(escalationRules.position), asc(escalationRules.name));
  const limitRows = await db.select().from(roleLimits).orderBy(asc(roleLimits.role), asc(roleLimits.type));

  const levelName = new Map(levelRows.map((l) => [l.id, l.name]));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  const calendarName = new Map(calendarRows.map((c) => [c.id, c.name]));
  // A dangling id cannot happen (foreign keys, and commands check jsonb references); the id is kept so an
  // export never hides one, and `policy check` then reports it.
  const team = (id: string) => teamName.get(id) ?? id;

  return {
    version: POLICY_VERSION,
    levels: levelRows.map((l) => ({ name: l.name, rank: l.rank })),
    teams: teamRows.map((t) => ({ name: t.name, level: levelName.get(t.levelId) ?? t.levelId, kind: t.kind, categories: t.categories })),
    calendars: calendarRows.map((c) => ({
      name: c.name,
      timezone: c.timezone,
      hours: c.hours,
      holidays: c.holidays,
      holidayRegion: c.holidayRegion,
    })),
    slaPolicies: policyRows.map((p) => {
      const { teamIds, ...conditions } = p.conditions as { teamIds?: string[] } & Json;
      return {
        name: p.name,
        position: p.position,
        active: p.active,
        calendar: p.calendarId === null ? null : (calendarName.get(p.calendarId) ?? p.calendarId),
        conditions: { ...conditions, ...(teamIds ? { teams: teamIds.map(team) } : {}) },
        pauseStatuses: p.pauseStatuses,
        targets: p.targets,
        steps: (p.steps as SlaStepSpec[]).map((s) => {
          if (s.type !== "escalate" || s.to.kind !== "team") return s;
          return { ...s, to: { kind: "team" as const, team: team(s.to.teamId) } };
        }),
        ackTimeout: p.ackTimeout,
        resolutionCountsAsResponse: p.resolutionCountsAsResponse,
      } as NonNullable<PolicyDocumentInput["slaPolicies"]>[number];
    }),
    rules: ruleRows.map((r) => ({
      name: r.name,
      position: r.position,
      active: r.active,
      triggers: r.triggers,
      match: r.match,
      conditions: r.conditions as RuleConditionSpec[],
      actions: (r.actions as RuleActionSpec[]).map((a) => {
        if (a.type !== "route" && a.type !== "escalate") return a;
        const { teamId, ...rest } = a;
        return teamId === undefined ? rest : { ...rest, team: team(teamId) };
      }),
      stopProcessing: r.stopProcessing,
      oncePerTicket: r.oncePerTicket,
    })) as PolicyDocumentInput["rules"],
    authorityLimits: limitRows.map((l) => ({ role: l.role, type: l.type, amount: l.amount, currency: l.currency })),
  };
}

const HEADER = [
  " Tierline escalation policy.",
  " Levels, teams, calendars, SLA policies, escalation rules and role authority limits, referring to each",
  " other by name. Check a change with `tierline policy check <file>`; the JSON Schema for editors is",
  " served at /api/v1/policy/schema.",
].join("\n");

/** The document as YAML with an explanatory header comment. */
export function toYaml(doc: PolicyDocumentInput): string {
  // Written for YAML 1.1 readers too (PyYAML and others): it quotes what 1.1 would read as another type,
  // such as 18:00 (the number 1080), 2026-12-24 (a date) and on/yes/no (booleans); YAML 1.2 reads it alike.
  return `${HEADER.split("\n").map((l) => `#${l}`).join("\n")}\n${stringify(doc, { lineWidth: 0, version: "1.1" })}`;
}

/** JSON with every object's keys sorted, so equal documents give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** An entity tag of a (normalised) policy: GET /policy sends it, PUT /policy takes it in If-Match. */
export function policyEtag(doc: PolicyDocumentValue): string {
  return `"${createHash("sha256").update(canonicalJson(doc)).digest("hex").slice(0, 32)}"`;
}
