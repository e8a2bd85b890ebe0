import { canonicalJson } from "./export-policy.js";
import { POLICY_SECTIONS, type FieldChange, type PolicyChange } from "./apply-policy.js";

const SIGN = { add: "+", change: "~", remove: "-" } as const;

/** Marks a leaf that one side does not have (distinct from an explicit null). */
const ABSENT = Symbol("absent");

const show = (v: unknown) => (v === ABSENT ? "(none)" : typeof v === "string" ? v : canonicalJson(v));

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isObjectList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0 && v.every(isPlainObject);

/**
 * One changed field as the leaves that changed inside it, each with its path: objects are walked key by
 * key (`targets.first_response.normal`), lists of objects of the same length entry by entry
 * (`steps[1].atPercent`); any other value (a string, a number, a list of strings) is one leaf.
 */
export function changedLeaves(path: string, from: unknown, to: unknown): FieldChange[] {
  if (canonicalJson(from) === canonicalJson(to)) return [];
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => changedLeaves(`${path}.${k}`, k in from ? from[k] : ABSENT, k in to ? to[k] : ABSENT));
  }
  if (isObjectList(from) && isObjectList(to) && from.length === to.length) {
    return from.flatMap((f, i) => changedLeaves(`${path}[${i}]`, f, to[i]));
  }
  return [{ field: path, from, to }];
}

/**
 * The changes of an apply as a readable diff, by section: `+` added, `~` changed (each changed leaf
 * before → after, `(none)` where one side has nothing), `-` removed; then a one-line count.
 */
export function formatChanges(changes: PolicyChange[]): string {
  if (changes.length === 0) return "No changes: the store already holds this policy.\n";
  const lines: string[] = [];
  for (const section of POLICY_SECTIONS) {
    const list = changes.filter((c) => c.section === section);
    if (list.length === 0) continue;
    lines.push(`${section}:`);
    for (const c of list) {
      lines.push(`  ${SIGN[c.op]} ${c.name}`);
      for (const f of c.fields ?? []) {
        for (const leaf of changedLeaves(f.field, f.from, f.to)) lines.push(`      ${leaf.field}: ${show(leaf.from)} → ${show(leaf.to)}`);
      }
    }
  }
  const n = (op: PolicyChange["op"]) => changes.filter((c) => c.op === op).length;
  lines.push(`${n("add")} to add, ${n("change")} to change, ${n("remove")} to remove.`);
  return `${lines.join("\n")}\n`;
}
