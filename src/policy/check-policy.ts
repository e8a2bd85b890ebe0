import { isCollection, isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import {
  crossReferenceIssues,
  POLICY_ENTRY_SCHEMAS,
  PolicyDocument,
  type DefinedNames,
  type PolicyDocumentValue,
  type PolicyEntries,
} from "./policy-document.js";

/** One problem in a policy file, at a 1-based line and column. */
export type PolicyError = { line: number; column: number; path: string; message: string };

export type PolicyCheck = { ok: true; document: PolicyDocumentValue } | { ok: false; errors: PolicyError[] };

/** `rules[0].actions[1].team`; the empty path is the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(document)";
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("");
}

/** One problem in a policy given as data: where (a path into it) and what. `keys`: unknown keys of the object at `path`. */
export type PolicyIssue = { path: (string | number)[]; message: string; keys?: string[] };

export type PolicyValidation = { ok: true; document: PolicyDocumentValue } | { ok: false; issues: PolicyIssue[] };

const LIST_SECTIONS = Object.keys(POLICY_ENTRY_SCHEMAS) as (keyof typeof POLICY_ENTRY_SCHEMAS)[];

/**
 * Validates a policy given as data (parsed YAML or JSON). Everything wrong is reported at once: shape
 * errors, unknown keys (a misspelt optional field would otherwise be dropped without a word) and
 * cross-reference errors among the entries whose shape is right.
 */
export function validatePolicy(raw: unknown): PolicyValidation {
  const tooDeep = pathBeyondDepth(raw);
  if (tooDeep) return { ok: false, issues: [{ path: tooDeep, message: NESTED_TOO_DEEPLY }] };
  const result = PolicyDocument.safeParse(raw);
  if (result.success) {
    const unknown = unknownKeyIssues(raw, result.data, []);
    return unknown.length === 0 ? { ok: true, document: result.data } : { ok: false, issues: unknown };
  }
  const issues: PolicyIssue[] = result.error.issues.map((i) => ({
    path: i.path.filter((k): k is string | number => typeof k !== "symbol"),
    message: i.message,
    ...(i.code === "unrecognized_keys" ? { keys: i.keys } : {}),
  }));
  // The shape is wrong somewhere, so zod did not look at the cross-references: check them among the
  // entries that are right, and look for unknown keys in those entries too.
  if (isRecord(raw)) {
    const entries = {} as Record<string, unknown[]>;
    const defined: DefinedNames = { levels: new Set(), teams: new Set(), calendars: new Set() };
    for (const section of LIST_SECTIONS) {
      const list = Array.isArray(raw[section]) ? (raw[section] as unknown[]) : [];
      entries[section] = list.map((item, i) => {
        const parsed = POLICY_ENTRY_SCHEMAS[section].safeParse(item);
        if (!parsed.success) return undefined;
        issues.push(...unknownKeyIssues(item, parsed.data, [section, i]));
        return parsed.data;
      });
      if (section === "levels" || section === "teams" || section === "calendars") {
        for (const item of list) if (isRecord(item) && typeof item.name === "string") defined[section].add(item.name);
      }
    }
    const seen = new Set(issues.map((i) => `${formatPath(i.path)}|${i.message}`));
    for (const issue of crossReferenceIssues(entries as PolicyEntries, defined)) {
      if (!seen.has(`${formatPath(issue.path)}|${issue.message}`)) issues.push(issue);
    }
  }
  return { ok: false, issues };
}

/**
 * Parses and validates a policy file. YAML syntax errors are reported at their own position (and stop
 * there); schema and cross-reference errors at the node they concern, or, when that node is missing (a
 * required field left out), at the nearest enclosing node that exists.
 */
export function checkPolicyText(text: string): PolicyCheck {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false });
  } catch (err) {
    // Nesting deep enough to exhaust the parser's stack: the same answer as nesting caught below.
    if (err instanceof RangeError) return { ok: false, errors: [{ line: 1, column: 1, path: "(document)", message: NESTED_TOO_DEEPLY }] };
    throw err;
  }
  // The parser reports a stack it exhausted on deep nesting as one of its errors: say what it means.
  if (doc.errors.some((e) => /call stack/i.test(e.message))) {
    return { ok: false, errors: [{ line: 1, column: 1, path: "(document)", message: NESTED_TOO_DEEPLY }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: "(document)", message: e.message.split("\n")[0]! };
      }),
    };
  }
  const deepNode = nodeBeyondDepth(doc.contents);
  if (deepNode) {
    const pos = lineCounter.linePos(deepNode);
    return { ok: false, errors: [{ line: pos.line, column: pos.col, path: "(document)", message: NESTED_TOO_DEEPLY }] };
  }
  const result = validatePolicy(doc.toJS());
  if (result.ok) return result;
  const errors = result.issues.map((issue) => {
    const pos = lineCounter.linePos(offsetOf(doc, issue));
    return { line: pos.line, column: pos.col, path: formatPath(issue.path), message: issue.message };
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

/** Keys of `raw` objects that parsing dropped: keys the schema does not know. */
function unknownKeyIssues(raw: unknown, parsed: unknown, path: (string | number)[]): PolicyIssue[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    return raw.flatMap((item, i) => (i < parsed.length ? unknownKeyIssues(item, parsed[i], [...path, i]) : []));
  }
  if (!isRecord(raw) || !isRecord(parsed)) return [];
  const unknown = Object.keys(raw).filter((k) => !(k in parsed));
  const issues: PolicyIssue[] =
    unknown.length > 0 ? [{ path, keys: unknown, message: `unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${k}"`).join(", ")}` }] : [];
  for (const key of Object.keys(raw)) if (key in parsed) issues.push(...unknownKeyIssues(raw[key], parsed[key], [...path, key]));
  return issues;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Where in the text an issue belongs: its node, the key it names (unknown keys), or the nearest parent. */
function offsetOf(doc: Document, issue: PolicyIssue): number {
  const path = issue.path;
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    if (n === path.length && issue.keys && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && issue.keys!.includes(String(p.key.value)));
      if (isScalar(pair?.key) && pair.key.range) return pair.key.range[0];
    }
    return node.range[0];
  }
  return 0;
}

/**
 * How deep a policy may nest. The real document nests about six levels; without a cap a file of a few
 * thousand `[` exhausts the stack in the parser or the schema and reports "Maximum call stack size exceeded".
 */
export const MAX_POLICY_DEPTH = 64;
const NESTED_TOO_DEEPLY = `nested more than ${MAX_POLICY_DEPTH} levels deep: a policy file never needs that`;

/** The path to the first value nested deeper than the cap in parsed data, walked without recursion. */
function pathBeyondDepth(root: unknown): (string | number)[] | undefined {
  const stack: [unknown, (string | number)[]][] = [[root, []]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= MAX_POLICY_DEPTH) return path;
    const children: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of children) stack.push([child, [...path, key]]);
  }
  return undefined;
}

/** The text offset of the first YAML collection nested deeper than the cap, walked without recursion. */
function nodeBeyondDepth(root: unknown): number | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (isPair(node)) {
      stack.push([node.key, depth], [node.value, depth]);
    } else if (isCollection(node)) {
      if (depth >= MAX_POLICY_DEPTH) return node.range?.[0] ?? 0;
      for (const item of node.items) stack.push([item, depth + 1]);
    }
  }
  return undefined;
}
