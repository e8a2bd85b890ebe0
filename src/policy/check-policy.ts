import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { PolicyDocument, type PolicyDocumentValue } from "./policy-document.js";

/** One problem in a policy file, at a 1-based line and column. */
export type PolicyError = { line: number; column: number; path: string; message: string };

export type PolicyCheck = { ok: true; document: PolicyDocumentValue } | { ok: false; errors: PolicyError[] };

/** `rules[0].actions[1].team`; the empty path is the document itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(document)";
  return path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i === 0 ? "" : "."}${String(k)}`)).join("");
}

/**
 * Parses and validates a policy file. YAML syntax errors are reported at their own position (and stop
 * there); schema and cross-reference errors at the node they concern, or, when that node is missing (a
 * required field left out), at the nearest enclosing node that exists.
 */
export function checkPolicyText(text: string): PolicyCheck {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, path: "(document)", message: e.message.split("\n")[0]! };
      }),
    };
  }
  const result = PolicyDocument.safeParse(doc.toJS());
  if (result.success) return { ok: true, document: result.data };
  const errors = result.error.issues.map((issue) => {
    const offset = offsetOf(doc, issue);
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col, path: formatPath(issue.path), message: issue.message };
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

/** Where in the text an issue belongs: its node, the key it names (unknown keys), or the nearest parent. */
function offsetOf(doc: Document, issue: z.core.$ZodIssue): number {
  const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (!isNode(node) || !node.range) continue;
    if (n === path.length && issue.code === "unrecognized_keys" && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value)));
      if (isScalar(pair?.key) && pair.key.range) return pair.key.range[0];
    }
    return node.range[0];
  }
  return 0;
}
