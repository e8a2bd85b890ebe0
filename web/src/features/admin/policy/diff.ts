import type { PolicyChange } from "../../../api/policy";
import { t } from "../../../i18n";

/** One changed leaf of a changed field: `targets.first_response.normal`, before and after. */
export type ChangedLeaf = { field: string; from: string; to: string };

/** Marks a leaf that one side does not have (distinct from an explicit null). */
const ABSENT = Symbol("absent");

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isObjectList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0 && v.every(isPlainObject);

// Key order does not make a change: compare values with sorted keys.
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (isPlainObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(",")}}`;
  return JSON.stringify(v) ?? "null";
}

const show = (v: unknown) => (v === ABSENT ? t("policy.diff.none.value") : typeof v === "string" ? v : stable(v));

function leaves(path: string, from: unknown, to: unknown, out: ChangedLeaf[]): void {
  if (from !== ABSENT && to !== ABSENT && stable(from) === stable(to)) return;
  if (isPlainObject(from) && isPlainObject(to)) {
    for (const k of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) leaves(`${path}.${k}`, k in from ? from[k] : ABSENT, k in to ? to[k] : ABSENT, out);
    return;
  }
  if (isObjectList(from) && isObjectList(to) && from.length === to.length) {
    from.forEach((f, i) => leaves(`${path}[${i}]`, f, to[i], out));
    return;
  }
  out.push({ field: path, from: show(from), to: show(to) });
}

/**
 * What changed inside a changed entry, leaf by leaf, as the CLI prints it: objects walked key by key,
 * lists of objects of the same length entry by entry; any other value (a string, a list of strings) is one leaf.
 */
export function changedLeaves(change: PolicyChange): ChangedLeaf[] {
  const out: ChangedLeaf[] = [];
  for (const f of change.fields ?? []) leaves(f.field, f.from, f.to, out);
  return out;
}
