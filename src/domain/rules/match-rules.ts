import type { RuleActionSpec, RuleConditionSpec } from "../../schemas/rule.schemas.js";
import type { Channel, CustomerTier, Priority, RuleTrigger, TicketStatus } from "../vocabulary.js";

/** What rule conditions look at: the ticket, its customer, and what the customer has written. */
export type RuleFacts = {
  category: string | null;
  priority: Priority;
  channel: Channel;
  status: TicketStatus;
  customerTier: CustomerTier;
  levelRank: number;
  tags: string[];
  /** Subject, description and the customer's messages. */
  text: string;
  annualValue: number | null;
  reopenCount: number;
  customerContacts: number;
  createdAt: Date;
  updatedAt: Date;
  now: Date;
  /**
   * The text and the rules' keywords as English word stems (PostgreSQL's `english` configuration, read by
   * src/rules/stem-text.ts), so "lawyers" matches a keyword "lawyer". Without it keywords match whole words only.
   */
  stems?: StemmedText;
};

/** A word of the text and its English stem ("" for a stop word such as "the"). */
export type StemmedWord = { word: string; stem: string };

/** The text's words in order, and each keyword's stems, word by word. */
export type StemmedText = { words: StemmedWord[]; keywords: ReadonlyMap<string, string[]> };

/** Which keyword matched which words of the text, and how: as the exact phrase, or by word stems. */
export type KeywordMatch = { keyword: string; matched: string; by: "phrase" | "stem" };

export type Rule = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  triggers: RuleTrigger[];
  match: "all" | "any";
  conditions: RuleConditionSpec[];
  actions: RuleActionSpec[];
  stopProcessing: boolean;
  oncePerTicket: boolean;
};

const HOUR = 3_600_000;

/** Whether one condition holds for the facts. */
export function conditionHolds(c: RuleConditionSpec, f: RuleFacts): boolean {
  switch (c.field) {
    case "category":
      return c.op === "in" ? f.category !== null && c.value.includes(f.category) : f.category === null || !c.value.includes(f.category);
    case "priority":
      return inOrNot(c.op, c.value, f.priority);
    case "channel":
      return inOrNot(c.op, c.value, f.channel);
    case "status":
      return inOrNot(c.op, c.value, f.status);
    case "customerTier":
      return inOrNot(c.op, c.value, f.customerTier);
    case "levelRank":
      return compare(c.op, f.levelRank, c.value);
    case "tags": {
      const has = c.value.some((t) => f.tags.includes(t));
      return c.op === "has_any" ? has : !has;
    }
    case "text": {
      const has = c.value.some((k) => matchKeyword(f, k) !== null);
      return c.op === "contains_any" ? has : !has;
    }
    case "annualValue":
      return f.annualValue !== null && compare(c.op, f.annualValue, c.value);
    case "reopenCount":
      return compare(c.op, f.reopenCount, c.value);
    case "customerContacts":
      return compare(c.op, f.customerContacts, c.value);
    case "hoursSinceCreated":
      return compare(c.op, (f.now.getTime() - f.createdAt.getTime()) / HOUR, c.value);
    case "hoursSinceUpdated":
      return compare(c.op, (f.now.getTime() - f.updatedAt.getTime()) / HOUR, c.value);
  }
}

/** Whether a rule's conditions hold: all of them, or any of them; a rule without conditions always matches. */
export function ruleMatches(rule: Pick<Rule, "match" | "conditions">, facts: RuleFacts): boolean {
  if (rule.conditions.length === 0) return true;
  return rule.match === "all" ? rule.conditions.every((c) => conditionHolds(c, facts)) : rule.conditions.some((c) => conditionHolds(c, facts));
}

/** The active rules listening to a trigger, in evaluation order. */
export function rulesFor<R extends Rule>(rules: R[], trigger: RuleTrigger): R[] {
  return rules.filter((r) => r.active && r.triggers.includes(trigger)).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
}

/**
 * Whether a keyword (a word or a phrase) occurs in the facts' text: as the exact phrase (whole words), or
 * else word by word by English stem, in order and adjacent ("legal actions" matches "legal action"; a stop
 * word of the keyword stands for any one word). The answer names the words of the text that matched.
 */
export function matchKeyword(f: Pick<RuleFacts, "text" | "stems">, keyword: string): KeywordMatch | null {
  const exact = findPhrase(f.text, keyword);
  if (exact !== null) return { keyword, matched: exact, by: "phrase" };
  const stems = f.stems?.keywords.get(keyword);
  const words = f.stems?.words;
  if (!stems || stems.length === 0 || !words || stems.every((s) => s === "")) return null;
  for (let i = 0; i + stems.length <= words.length; i++) {
    if (stems.every((stem, j) => stem === "" || words[i + j]!.stem === stem)) {
      return { keyword, matched: words.slice(i, i + stems.length).map((w) => w.word).join(" "), by: "stem" };
    }
  }
  return null;
}

/** The keywords of a rule's text conditions that matched, with the words they matched (for the dry run). */
export function keywordMatches(rule: Pick<Rule, "conditions">, f: Pick<RuleFacts, "text" | "stems">): KeywordMatch[] {
  return rule.conditions.flatMap((c) => (c.field === "text" && c.op === "contains_any" ? c.value.flatMap((k) => matchKeyword(f, k) ?? []) : []));
}

/** Every keyword of the rules' text conditions (what the stem loader needs to read). */
export function ruleKeywords(rules: readonly Pick<Rule, "conditions">[]): string[] {
  return [...new Set(rules.flatMap((r) => r.conditions.flatMap((c) => (c.field === "text" ? c.value : []))))];
}

/** The exact phrase as it stands in the text, or null. */
function findPhrase(text: string, phrase: string): string | null {
  const words = phrase.trim().toLowerCase().split(/\s+/).map(escapeRegExp).join("\\s+");
  const found = new RegExp(`(^|[^\\p{L}\\p{N}])(${words})($|[^\\p{L}\\p{N}])`, "u").exec(text.toLowerCase());
  return found ? text.slice(found.index + found[1]!.length, found.index + found[1]!.length + found[2]!.length) : null;
}

/** Case-insensitive whole-word (or whole-phrase) search: "legal action" matches "…taking legal action!", not "illegal actions". */
export function containsPhrase(text: string, phrase: string): boolean {
  const words = phrase.trim().toLowerCase().split(/\s+/).map(escapeRegExp).join("\\s+");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${words}($|[^\\p{L}\\p{N}])`, "u").test(text.toLowerCase());
}

function inOrNot<T>(op: "in" | "not_in", values: readonly T[], value: T): boolean {
  return op === "in" ? values.includes(value) : !values.includes(value);
}

function compare(op: "eq" | "gte" | "lte", actual: number, expected: number): boolean {
  return op === "eq" ? actual === expected : op === "gte" ? actual >= expected : actual <= expected;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
