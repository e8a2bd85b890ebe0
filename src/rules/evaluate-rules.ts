import { and, asc, eq, sql } from "drizzle-orm";
import { accounts, customers, deadlines, escalationRules, levels, ruleFirings, teams, tickets, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { queryRows } from "../db/raw.js";
import { applyEscalation } from "../commands/escalate-ticket.js";
import { nextLevelTeam } from "../routing/next-level-team.js";
import { appendEvents, enqueue } from "../commands/support/timeline.js";
import { SYSTEM } from "../domain/principal.js";
import { isoDurationMs } from "../domain/sla/duration.js";
import { keywordMatches, ruleKeywords, ruleMatches, rulesFor, type Rule, type RuleFacts, type StemmedText } from "../domain/rules/match-rules.js";
import { stemText } from "./stem-text.js";
import { FINISHED_STATUSES, type RuleTrigger } from "../domain/vocabulary.js";
import type { RuleActionSpec } from "../schemas/rule.schemas.js";
import { onPriorityChanged, rematchSlaPolicy, SlaSession, upsertDeadlines, upsertTicketTimers } from "../sla/clocks.js";
import { assignBestAgent } from "../routing/assign-best-agent.js";

/**
 * Runs the escalation matrix for one ticket on one trigger, inside the caller's transaction. Rules are
 * taken in position order; each is checked against the ticket as the rules before it left it. A rule
 * fires once per ticket, or (when it says so) at most once per triggering change (`triggerKey`, e.g. the
 * message id): rule actions never trigger rules themselves, and a repeated evaluation of the same change
 * finds the firing already recorded.
 * Every firing is an event naming the rule, recorded as the system's doing. Returns whether any rule fired.
 */
export async function evaluateRules(
  tx: Tx,
  now: Date,
  ticketId: string,
  trigger: RuleTrigger,
  triggerKey: string,
  onlyRuleId?: string,
): Promise<boolean> {
  // FOR SHARE: a policy apply removing a rule waits for this transaction (and this one, if the apply came
  // first, reads the rules without it), so a firing never refers to a rule deleted meanwhile.
  const rows = (await tx.select().from(escalationRules).where(eq(escalationRules.active, true)).orderBy(asc(escalationRules.position)).for("share")) as unknown as Rule[];
  if (rows.length === 0) return false;
  const rules = rulesFor(rows, trigger).filter((r) => !onlyRuleId || r.id === onlyRuleId);
  let firedAny = false;
  // Actions never change what the customer wrote: its stems are read once, and only if a rule has keywords.
  const keywords = ruleKeywords(rules);
  let stems: StemmedText | undefined;
  for (const rule of rules) {
    const loaded = await loadFacts(tx, ticketId, now);
    if (!loaded || FINISHED_STATUSES.includes(loaded.ticket.status)) break;
    stems ??= await stemText(tx, loaded.facts.text, keywords);
    const facts = { ...loaded.facts, ...(stems ? { stems } : {}) };
    if (!ruleMatches(rule, facts)) continue;
    const [firing] = await tx
      .insert(ruleFirings)
      .values({ ruleId: rule.id, ticketId, triggerKey: rule.oncePerTicket ? "once" : triggerKey, firedAt: now })
      .onConflictDoNothing()
      .returning({ id: ruleFirings.id });
    if (!firing) continue;
    const matchedKeywords = keywordMatches(rule, facts);
    const done = await applyActions(tx, now, rule, loaded.ticket);
    await appendEvents(tx, SYSTEM, now, [
      {
        ticketId,
        type: "rule.fired",
        visibility: "internal",
        // The keywords that matched, with the words they matched, so the timeline says why the rule fired.
        data: { ruleId: rule.id, rule: rule.name, trigger, actions: done, ...(matchedKeywords.length ? { keywords: matchedKeywords } : {}) },
      },
    ]);
    firedAny = true;
    if (rule.stopProcessing) break;
  }
  await scheduleTimeRules(tx, now, ticketId, rulesFor(rows, "time"));
  return firedAny;
}

const HOUR = 3_600_000;

/**
 * Time-triggered rules ("unresolved 24 h at L1") wait on the deadline engine: for each, one timer per
 * ticket at the moment its time conditions first hold (all of them, or the first of them for `any`),
 * moved whenever the ticket changes. When it fires, the engine evaluates that rule alone; the rest of its
 * conditions are checked then.
 */
async function scheduleTimeRules(tx: Tx, now: Date, ticketId: string, timeRules: Rule[]): Promise<void> {
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  const live = ticket && !FINISHED_STATUSES.includes(ticket.status) ? ticket : null;
  const firedOnce = new Set(
    (await tx.select({ ruleId: ruleFirings.ruleId }).from(ruleFirings).where(and(eq(ruleFirings.ticketId, ticketId), eq(ruleFirings.triggerKey, "once")))).map((f) => f.ruleId),
  );
  const rows: { clockId: null; escalationId: null; stepKey: string; dueAt: Date; payload: Record<string, unknown> }[] = [];
  for (const rule of timeRules) {
    if (!live) break;
    if (rule.oncePerTicket && firedOnce.has(rule.id)) continue;
    const moments = rule.conditions.flatMap((c) => {
      if (c.field === "hoursSinceCreated" && c.op === "gte") return [live.createdAt.getTime() + c.value * HOUR];
      if (c.field === "hoursSinceUpdated" && c.op === "gte") return [live.updatedAt.getTime() + c.value * HOUR];
      return [];
    });
    if (moments.length === 0) continue;
    // The moment itself, even if past (the engine fires overdue timers at once); it is part of the key.
    const at = rule.match === "all" ? Math.max(...moments) : Math.min(...moments);
    rows.push({ clockId: null, escalationId: null, stepKey: `rule:${rule.id}:${at}`, dueAt: new Date(at), payload: { type: "rule", ruleId: rule.id } });
  }
  // Timers whose moment moved are dropped; one whose moment stands is kept as it is — also the one the engine
  // may be firing right now, which it then marks fired, so a moment is evaluated once.
  const keep = rows.map((r) => r.stepKey);
  await tx.execute(
    sql`delete from ${deadlines} where ticket_id = ${ticketId} and step_key like 'rule:%' and fired_at is null
        and not (step_key = any(${`{${keep.join(",")}}`}::text[]))`,
  );
  await upsertTicketTimers(new SlaSession(tx, now, SYSTEM), ticketId, rows);
}

/** The facts rule conditions read, from the ticket as it is now in this transaction. */
export async function loadFacts(tx: Tx, ticketId: string, now: Date): Promise<{ ticket: Ticket; facts: RuleFacts } | null> {
  const [row] = await tx
    .select({ ticket: tickets, tier: customers.tier, annualValue: accounts.annualValue, rank: levels.rank })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(accounts, eq(accounts.id, customers.accountId))
    .innerJoin(levels, eq(levels.id, tickets.levelId))
    .where(eq(tickets.id, ticketId));
  if (!row) return null;
  const [written] = await queryRows<{ text: string | null; n: number }>(
    tx,
    sql`select string_agg(body, ' ') as text, count(*)::int as n from messages where ticket_id = ${ticketId} and kind = 'customer'`,
  );
  const t = row.ticket;
  return {
    ticket: t,
    facts: {
      category: t.category,
      priority: t.priority,
      channel: t.channel,
      status: t.status,
      customerTier: row.tier,
      levelRank: row.rank,
      tags: t.tags,
      text: [t.subject, t.description, written?.text ?? ""].join(" "),
      annualValue: row.annualValue,
      reopenCount: t.reopenCount,
      customerContacts: 1 + (written?.n ?? 0),
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      now,
    },
  };
}

/** Carries out a rule's actions; returns what was done (or skipped, and why) for the timeline. */
async function applyActions(tx: Tx, now: Date, rule: Rule, ticket: Ticket): Promise<Record<string, unknown>[]> {
  const done: Record<string, unknown>[] = [];
  let current = ticket;
  const reload = async () => {
    current = (await tx.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!;
  };
  let escalationId: string | null = null;
  for (const action of rule.actions) {
    const result = await applyAction(tx, now, rule, current, action);
    if (result.escalationId) escalationId = result.escalationId;
    if ((action.type === "route" || action.type === "escalate") && action.assign && !("skipped" in result.outcome)) {
      await reload();
      result.outcome = { ...result.outcome, assigned: (await assignBestAgent(tx, SYSTEM, now, current)).why };
    }
    if (action.type === "require_ack" && escalationId) {
      const ms = isoDurationMs(action.within) ?? 0;
      await upsertDeadlines(new SlaSession(tx, now, SYSTEM), ticket.id, [
        { clockId: null, escalationId, stepKey: "ack", dueAt: new Date(now.getTime() + ms), payload: { type: "ack", timeout: action.within, ruleId: rule.id } },
      ]);
      result.outcome = { type: "require_ack", within: action.within };
    }
    done.push(result.outcome);
    await reload();
  }
  return done;
}

async function applyAction(
  tx: Tx,
  now: Date,
  rule: Rule,
  ticket: Ticket,
  action: RuleActionSpec,
): Promise<{ outcome: Record<string, unknown>; escalationId?: string }> {
  switch (action.type) {
    case "route": {
      const [team] = await tx.select().from(teams).where(eq(teams.id, action.teamId));
      if (!team) return { outcome: { type: "route", skipped: "team no longer exists" } };
      if (team.id === ticket.teamId) return { outcome: { type: "route", skipped: "already with this team" } };
      const [routed] = await tx.update(tickets).set({ teamId: team.id, levelId: team.levelId, assigneeId: null, updatedAt: now }).where(eq(tickets.id, ticket.id)).returning();
      await appendEvents(tx, SYSTEM, now, [
        { ticketId: ticket.id, type: "ticket.routed", visibility: "internal", data: { rule: rule.name, teamId: { from: ticket.teamId, to: team.id }, levelId: { from: ticket.levelId, to: team.levelId } } },
      ]);
      // A policy may be conditioned on the team: the clocks follow the ticket as routed.
      await rematchSlaPolicy(new SlaSession(tx, now, SYSTEM), routed!);
      return { outcome: { type: "route", teamId: team.id } };
    }
    case "set_priority": {
      if (action.priority === ticket.priority) return { outcome: { type: "set_priority", skipped: "already at this priority" } };
      const [updated] = await tx.update(tickets).set({ priority: action.priority, updatedAt: now }).where(eq(tickets.id, ticket.id)).returning();
      await appendEvents(tx, SYSTEM, now, [
        { ticketId: ticket.id, type: "ticket.updated", visibility: "internal", data: { changes: { priority: { from: ticket.priority, to: action.priority } }, rule: rule.name } },
      ]);
      await onPriorityChanged(new SlaSession(tx, now, SYSTEM), updated!);
      return { outcome: { type: "set_priority", priority: action.priority } };
    }
    case "add_tags": {
      const tags = [...new Set([...ticket.tags, ...action.tags])];
      if (tags.length === ticket.tags.length) return { outcome: { type: "add_tags", skipped: "already tagged" } };
      await tx.update(tickets).set({ tags, updatedAt: now }).where(eq(tickets.id, ticket.id));
      await appendEvents(tx, SYSTEM, now, [
        { ticketId: ticket.id, type: "ticket.updated", visibility: "internal", data: { changes: { tags: { from: ticket.tags, to: tags } }, rule: rule.name } },
      ]);
      return { outcome: { type: "add_tags", tags: action.tags } };
    }
    case "escalate": {
      const [level] = await tx.select().from(levels).where(eq(levels.id, ticket.levelId));
      let target;
      let why: string | undefined;
      if (action.teamId) {
        const [row] = await tx.select({ team: teams, rank: levels.rank }).from(teams).innerJoin(levels, eq(levels.id, teams.levelId)).where(eq(teams.id, action.teamId));
        if (!row) return { outcome: { type: "escalate", skipped: "team no longer exists" } };
        if (row.team.id === ticket.teamId) return { outcome: { type: "escalate", skipped: "already with this team" } };
        if (action.kind === "hierarchical" && row.rank <= level!.rank) return { outcome: { type: "escalate", skipped: "the team is not on a higher level" } };
        if (action.kind === "functional" && row.team.kind !== "specialist") return { outcome: { type: "escalate", skipped: "the team is not a specialist team" } };
        target = row.team;
      } else {
        const choice = await nextLevelTeam(tx, { rank: level!.rank, category: ticket.category });
        if (!choice) return { outcome: { type: "escalate", skipped: "no higher level" } };
        target = choice.team;
        why = choice.why;
      }
      const escalation = await applyEscalation(tx, SYSTEM, now, ticket, target, {
        kind: action.kind,
        reason: action.reason,
        note: `Escalation rule "${rule.name}" matched: escalated automatically.`,
        toAgentId: null,
        why,
      });
      return {
        outcome: { type: "escalate", kind: action.kind, reason: action.reason, teamId: target.id, escalationId: escalation.id, ...(why ? { why } : {}) },
        escalationId: escalation.id,
      };
    }
    case "notify":
      await enqueue(tx, now, "rule.notify", { ticketId: ticket.id, role: action.role, ruleId: rule.id, rule: rule.name });
      return { outcome: { type: "notify", role: action.role } };
    case "require_ack":
      return { outcome: { type: "require_ack", skipped: "no escalation by this rule" } };
  }
}

