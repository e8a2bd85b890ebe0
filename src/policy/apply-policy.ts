import { count, eq, inArray, like, or, sql, and, isNull } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { buildRequestedCalendar } from "../commands/support/calendar-spec.js";
import {
  agents,
  agentTeams,
  calendars,
  deadlines,
  escalationRules,
  escalations,
  levels,
  mailboxes,
  roleLimits,
  ruleFirings,
  slaClocks,
  slaPolicies,
  teams,
  tickets,
} from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { AppError, type FieldIssue } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { RuleActionSpec } from "../schemas/rule.schemas.js";
import type { SlaStepSpec } from "../schemas/sla.schemas.js";
import { forgetActiveAutomation } from "../sla/automation-cache.js";
import { canonicalJson, policyEtag, readPolicy } from "./export-policy.js";
import { PolicyDocument, type PolicyDocumentValue } from "./policy-document.js";
import { POLICY_SECTIONS } from "../schemas/policy.schemas.js";

/*
 * Applying a policy document: the store is made to hold exactly what the document says, matched by name,
 * in one transaction. Renaming is removing one entry and adding another. Removing something with history
 * (a team with tickets, an SLA policy that timed tickets, a rule that fired) is refused, with the reason,
 * and nothing is changed: history keeps pointing at what it was about. Such entries are retired with
 * `active: false` (SLA policies, rules) or kept.
 */

export { POLICY_SECTIONS };
export type PolicySection = (typeof POLICY_SECTIONS)[number];

export type FieldChange = { field: string; from: unknown; to: unknown };
/** One entry added, changed (with its fields before and after) or removed. */
export type PolicyChange = { section: PolicySection; name: string; op: "add" | "change" | "remove"; fields?: FieldChange[] };

export type ApplyOptions = { dryRun?: boolean; ifMatch?: string };
export type ApplyResult = { dryRun: boolean; applied: boolean; changes: PolicyChange[]; etag: string };

type Doc = PolicyDocumentValue;
type Keyed = { key: string; value: Record<string, unknown> };

/** Each section's entries by the name they are matched on; role limits by "role type". */
function entriesOf(doc: Doc, section: PolicySection): Keyed[] {
  if (section === "authorityLimits") return doc.authorityLimits.map((l) => ({ key: `${l.role} ${l.type}`, value: l }));
  return (doc[section] as { name: string }[]).map((e) => ({ key: e.name, value: e }));
}

/** What applying `next` over `current` changes, section by section, in the document's order. */
export function diffPolicies(current: Doc, next: Doc): PolicyChange[] {
  const changes: PolicyChange[] = [];
  for (const section of POLICY_SECTIONS) {
    const before = new Map(entriesOf(current, section).map((e) => [e.key, e.value]));
    const after = entriesOf(next, section);
    const afterKeys = new Set(after.map((e) => e.key));
    for (const { key, value } of after) {
      const old = before.get(key);
      if (!old) {
        changes.push({ section, name: key, op: "add" });
        continue;
      }
      const fields = Object.keys({ ...old, ...value })
        .filter((f) => f !== "name" && canonicalJson(old[f] ?? null) !== canonicalJson(value[f] ?? null))
        .map((f) => ({ field: f, from: old[f] ?? null, to: value[f] ?? null }));
      if (fields.length > 0) changes.push({ section, name: key, op: "change", fields });
    }
    for (const key of before.keys()) if (!afterKeys.has(key)) changes.push({ section, name: key, op: "remove" });
  }
  return changes;
}

/** Thrown inside the transaction of a dry run, so everything it wrote is rolled back. */
class DryRunRollback extends Error {}

/**
 * Makes the store's escalation policy the given document (admins only), all or nothing. With `dryRun`
 * every write is made and checked, then rolled back: the answer is what applying would do. With `ifMatch`
 * (an etag from GET /policy) the apply is refused if the policy changed since.
 */
export async function applyPolicy(ctx: CommandContext, doc: Doc, options: ApplyOptions = {}): Promise<ApplyResult> {
  authorizeOrganisation(ctx.actor, "manage", "the policy (levels, teams, calendars, SLA policies, escalation rules and authority limits)");
  const now = ctx.clock.now();
  let result: ApplyResult | undefined;
  try {
    await ctx.db.transaction(async (tx) => {
      // One apply at a time: two concurrent applies would each diff against a state the other changes.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('tierline.policy.apply'))`);
      const current = PolicyDocument.parse(await readPolicy(tx));
      if (options.ifMatch !== undefined && options.ifMatch !== "*" && options.ifMatch !== policyEtag(current)) {
        throw new AppError("policy_changed", "The policy changed since it was read (If-Match does not match); export it again and re-apply your edit.");
      }
      const changes = diffPolicies(current, doc);
      let etag = policyEtag(current);
      if (changes.length > 0) {
        await refuseRemovalsWithHistory(tx, changes);
        await writeChanges(tx, doc, changes, now);
        // The tag GET /policy will send from now on (the store's order of entries, not the file's).
        etag = policyEtag(PolicyDocument.parse(await readPolicy(tx)));
      }
      result = { dryRun: options.dryRun === true, applied: !options.dryRun && changes.length > 0, changes, etag };
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  if (result!.applied) forgetActiveAutomation(ctx.db);
  return result!;
}

const removed = (changes: PolicyChange[], section: PolicySection) => changes.filter((c) => c.section === section && c.op === "remove").map((c) => c.name);

/** What still refers to the entries the document leaves out; any of it makes the whole apply fail. */
async function refuseRemovalsWithHistory(tx: Tx, changes: PolicyChange[]): Promise<void> {
  const conflicts: FieldIssue[] = [];
  const refuse = (section: PolicySection, name: string, uses: [number, string][], advice: string) => {
    const used = uses.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
    if (used.length > 0) conflicts.push({ path: `${section}.${name}`, message: `cannot be removed: still used by ${used.join(", ")}; ${advice}` });
  };
  const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;

  for (const name of removed(changes, "levels")) {
    const [level] = await tx.select({ id: levels.id }).from(levels).where(eq(levels.name, name));
    const id = level!.id;
    refuse("levels", name, [
      [await countOf(tx.select({ n: count() }).from(tickets).where(eq(tickets.levelId, id))), "tickets"],
      [await countOf(tx.select({ n: count() }).from(escalations).where(or(eq(escalations.fromLevelId, id), eq(escalations.toLevelId, id)))), "escalations"],
    ], "keep it in the policy");
  }
  for (const name of removed(changes, "teams")) {
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.name, name));
    const id = team!.id;
    refuse("teams", name, [
      [await countOf(tx.select({ n: count() }).from(tickets).where(eq(tickets.teamId, id))), "tickets"],
      [await countOf(tx.select({ n: count() }).from(escalations).where(or(eq(escalations.fromTeamId, id), eq(escalations.toTeamId, id)))), "escalations"],
      [await countOf(tx.select({ n: count() }).from(agentTeams).where(eq(agentTeams.teamId, id))), "agents (move them to another team first)"],
      [await countOf(tx.select({ n: count() }).from(mailboxes).where(eq(mailboxes.teamId, id))), "mailboxes"],
    ], "keep it in the policy");
  }
  for (const name of removed(changes, "calendars")) {
    const [calendar] = await tx.select({ id: calendars.id }).from(calendars).where(eq(calendars.name, name));
    refuse("calendars", name, [[await countOf(tx.select({ n: count() }).from(agents).where(eq(agents.calendarId, calendar!.id))), "agents' working hours"]],
      "keep it in the policy");
  }
  for (const name of removed(changes, "slaPolicies")) {
    const [policy] = await tx.select({ id: slaPolicies.id }).from(slaPolicies).where(eq(slaPolicies.name, name));
    refuse("slaPolicies", name, [[await countOf(tx.select({ n: count() }).from(slaClocks).where(eq(slaClocks.policyId, policy!.id))), "ticket clocks"]],
      "keep it with active: false to retire it");
  }
  for (const name of removed(changes, "rules")) {
    // FOR UPDATE: waits for intakes evaluating this rule (they hold it FOR SHARE), then counts their firings too.
    const [rule] = await tx.select({ id: escalationRules.id }).from(escalationRules).where(eq(escalationRules.name, name)).for("update");
    refuse("rules", name, [[await countOf(tx.select({ n: count() }).from(ruleFirings).where(eq(ruleFirings.ruleId, rule!.id))), "firings on tickets"]],
      "keep it with active: false to retire it");
  }
  if (conflicts.length > 0) {
    throw new AppError("policy_conflict", `The policy cannot be applied: ${conflicts.map((c) => `${c.path} ${c.message}`).join("; ")}`, conflicts);
  }
}

/** Writes the changes: removals first (their names and ranks may be reused), then levels, calendars, teams, and what refers to them. */
async function writeChanges(tx: Tx, doc: Doc, changes: PolicyChange[], now: Date): Promise<void> {
  const touched = (section: PolicySection) => new Set(changes.filter((c) => c.section === section && c.op !== "remove").map((c) => c.name));

  const goneRules = removed(changes, "rules");
  if (goneRules.length > 0) {
    const ids = (await tx.select({ id: escalationRules.id }).from(escalationRules).where(inArray(escalationRules.name, goneRules))).map((r) => r.id);
    // Pending time-condition timers of a rule that never fired; nothing else refers to it.
    for (const id of ids) await tx.delete(deadlines).where(and(like(deadlines.stepKey, `rule:${id}:%`), isNull(deadlines.firedAt)));
    await tx.delete(escalationRules).where(inArray(escalationRules.id, ids));
  }
  const gonePolicies = removed(changes, "slaPolicies");
  if (gonePolicies.length > 0) await tx.delete(slaPolicies).where(inArray(slaPolicies.name, gonePolicies));
  const goneTeams = removed(changes, "teams");
  if (goneTeams.length > 0) await tx.delete(teams).where(inArray(teams.name, goneTeams));
  const goneCalendars = removed(changes, "calendars");
  if (goneCalendars.length > 0) await tx.delete(calendars).where(inArray(calendars.name, goneCalendars));
  const goneLevels = removed(changes, "levels");
  if (goneLevels.length > 0) await tx.delete(levels).where(inArray(levels.name, goneLevels));

  // Levels: ranks are unique, so levels whose rank changes step aside first (swaps, shifts).
  const levelChanges = touched("levels");
  if (levelChanges.size > 0) {
    await tx.update(levels).set({ rank: sql`-1000000 - ${levels.rank}` }).where(inArray(levels.name, [...levelChanges]));
    for (const l of doc.levels.filter((l) => levelChanges.has(l.name))) {
      await tx.insert(levels).values({ name: l.name, rank: l.rank, createdAt: now }).onConflictDoUpdate({ target: levels.name, set: { rank: l.rank } });
    }
  }

  for (const c of doc.calendars.filter((c) => touched("calendars").has(c.name))) {
    const spec = { timezone: c.timezone, hours: c.hours, holidays: c.holidays, holidayRegion: c.holidayRegion ?? null };
    buildRequestedCalendar(spec);
    await tx
      .insert(calendars)
      .values({ name: c.name, ...spec, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: calendars.name, set: { ...spec, updatedAt: now } });
  }

  const levelId = await idsByName(tx, levels);
  for (const t of doc.teams.filter((t) => touched("teams").has(t.name))) {
    const values = { levelId: levelId.get(t.level)!, kind: t.kind, categories: [...new Set(t.categories)] };
    await tx.insert(teams).values({ name: t.name, ...values, createdAt: now }).onConflictDoUpdate({ target: teams.name, set: values });
  }

  const teamId = await idsByName(tx, teams);
  const calendarId = await idsByName(tx, calendars);
  const team = (name: string) => teamId.get(name)!;

  for (const p of doc.slaPolicies.filter((p) => touched("slaPolicies").has(p.name))) {
    const { teams: teamNames, ...conditions } = p.conditions;
    const values = {
      position: p.position,
      active: p.active,
      calendarId: p.calendar === null ? null : calendarId.get(p.calendar)!,
      conditions: { ...conditions, ...(teamNames ? { teamIds: teamNames.map(team) } : {}) } as Record<string, string[]>,
      pauseStatuses: p.pauseStatuses,
      targets: p.targets as Record<string, Record<string, string>>,
      steps: p.steps.map((s): SlaStepSpec => (s.type === "escalate" && s.to.kind === "team" ? { ...s, to: { kind: "team", teamId: team(s.to.team) } } : (s as SlaStepSpec))),
      ackTimeout: p.ackTimeout ?? null,
      resolutionCountsAsResponse: p.resolutionCountsAsResponse,
    };
    await tx
      .insert(slaPolicies)
      .values({ name: p.name, ...values, version: 1, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: slaPolicies.name, set: { ...values, version: sql`${slaPolicies.version} + 1`, updatedAt: now } });
  }

  for (const r of doc.rules.filter((r) => touched("rules").has(r.name))) {
    const values = {
      position: r.position,
      active: r.active,
      triggers: r.triggers,
      match: r.match,
      conditions: r.conditions as Record<string, unknown>[],
      actions: r.actions.map((a): RuleActionSpec => {
        if (a.type !== "route" && a.type !== "escalate") return a;
        const { team: name, ...rest } = a;
        return (name === undefined ? rest : { ...rest, teamId: team(name) }) as RuleActionSpec;
      }) as Record<string, unknown>[],
      stopProcessing: r.stopProcessing,
      oncePerTicket: r.oncePerTicket,
    };
    await tx
      .insert(escalationRules)
      .values({ name: r.name, ...values, version: 1, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: escalationRules.name, set: { ...values, version: sql`${escalationRules.version} + 1`, updatedAt: now } });
  }

  if (changes.some((c) => c.section === "authorityLimits")) {
    await tx.delete(roleLimits);
    if (doc.authorityLimits.length > 0) await tx.insert(roleLimits).values(doc.authorityLimits);
  }
}

async function idsByName(tx: Tx, table: typeof levels | typeof teams | typeof calendars): Promise<Map<string, string>> {
  const rows = await tx.select({ id: table.id, name: table.name }).from(table);
  return new Map(rows.map((r) => [r.name, r.id]));
}
