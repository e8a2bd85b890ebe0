import { canonicalJson } from "./export-policy.js";
import { POLICY_SECTIONS, type PolicyChange } from "./apply-policy.js";

const SIGN = { add: "+", change: "~", remove: "-" } as const;

const show = (v: unknown) => (typeof v === "string" ? v : canonicalJson(v));

/**
 * The changes of an apply as a readable diff, by section: `+` added, `~` changed (each field before →
 * after), `-` removed; then a one-line count.
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
      for (const f of c.fields ?? []) lines.push(`      ${f.field}: ${show(f.from)} → ${show(f.to)}`);
    }
  }
  const n = (op: PolicyChange["op"]) => changes.filter((c) => c.op === op).length;
  lines.push(`${n("add")} to add, ${n("change")} to change, ${n("remove")} to remove.`);
  return `${lines.join("\n")}\n`;
}
