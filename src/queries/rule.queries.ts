import { eq } from "drizzle-orm";
import { escalationRules, type EscalationRuleRow } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { keywordMatches, ruleKeywords, ruleMatches, rulesFor, type KeywordMatch, type Rule, type RuleFacts } from "../domain/rules/match-rules.js";
import { loadFacts } from "../rules/evaluate-rules.js";
import { stemText } from "../rules/stem-text.js";
import { getTicketByNumber } from "./ticket.queries.js";
import type { RuleTrigger } from "../domain/vocabulary.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { RuleActionSpec } from "../schemas/rule.schemas.js";
import type { CommandContext } from "../commands/context.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** The escalation matrix in evaluation order (position, then name). Staff read it. */
export async function listRules(ctx: CommandContext, q: PageInput): Promise<Page<EscalationRuleRow>> {
  authorizeOrganisation(ctx.actor, "read", "escalation rules");
  return pageInOrder(q, "is", [escalationRules.position, escalationRules.name], (after, order, limit) =>
    ctx.db.select().from(escalationRules).where(after).orderBy(...order).limit(limit), (r) => [r.position, r.name]);
}

export async function getRule(ctx: CommandContext, ruleId: string): Promise<EscalationRuleRow> {
  authorizeOrganisation(ctx.actor, "read", "escalation rules");
  const [row] = await ctx.db.select().from(escalationRules).where(eq(escalationRules.id, ruleId));
  if (!row) throw notFound("rule_not_found", "Escalation rule", ruleId);
  return row;
}

export type Evaluation = {
  trigger: RuleTrigger;
  matched: { ruleId: string; rule: string; actions: RuleActionSpec[]; stopsProcessing: boolean; keywords: KeywordMatch[] }[];
};

/**
 * Which active rules a ticket with these facts would fire on a trigger, in order, and what they would do —
 * without writing anything. Priority and tag changes made by earlier rules are carried to later ones, as
 * in a real evaluation; routing and escalation are reported, not simulated.
 */
export async function evaluateRulesDryRun(ctx: CommandContext, trigger: RuleTrigger, facts: RuleFacts): Promise<Evaluation> {
  authorizeOrganisation(ctx.actor, "read", "escalation rules");
  const rows = (await ctx.db.select().from(escalationRules).where(eq(escalationRules.active, true))) as unknown as Rule[];
  const matched: Evaluation["matched"] = [];
  const rules = rulesFor(rows, trigger);
  const stems = await stemText(ctx.db, facts.text, ruleKeywords(rules));
  let f: RuleFacts = { ...facts, ...(stems ? { stems } : {}) };
  for (const rule of rules) {
    if (!ruleMatches(rule, f)) continue;
    // Which keyword matched which words of the text, and whether as the phrase or by stem.
    matched.push({ ruleId: rule.id, rule: rule.name, actions: rule.actions, stopsProcessing: rule.stopProcessing, keywords: keywordMatches(rule, f) });
    for (const a of rule.actions) {
      if (a.type === "set_priority") f = { ...f, priority: a.priority };
      if (a.type === "add_tags") f = { ...f, tags: [...new Set([...f.tags, ...a.tags])] };
    }
    if (rule.stopProcessing) break;
  }
  return { trigger, matched };
}

/**
 * The dry run on an existing ticket, read as the engine reads it now (its customer's tier and value, its
 * level, the customer's messages, its age). Staff who can see the ticket may run it; nothing is written.
 */
export async function evaluateTicketDryRun(
  ctx: CommandContext,
  trigger: RuleTrigger,
  ticketNumber: number,
): Promise<Evaluation & { ticket: { id: string; number: number; subject: string } }> {
  authorizeOrganisation(ctx.actor, "read", "escalation rules");
  const ticket = await getTicketByNumber(ctx, ticketNumber);
  const now = ctx.clock.now();
  // loadFacts reads within a transaction, so the ticket, customer and messages are one consistent picture.
  const loaded = await ctx.db.transaction((tx) => loadFacts(tx, ticket.id, now));
  if (!loaded) throw notFound("ticket_not_found", "Ticket", `#${ticketNumber}`);
  const evaluation = await evaluateRulesDryRun(ctx, trigger, loaded.facts);
  return { ...evaluation, ticket: { id: ticket.id, number: ticket.number, subject: ticket.subject } };
}
