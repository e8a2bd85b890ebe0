/**
 * The template language of outgoing mail: `{{ name }}` placeholders and nothing else (no logic, no raw
 * output), so an edited template can neither run code nor break out of the HTML it sits in. Values are
 * HTML-escaped in the html part, kept on one line in the subject and inserted as they are in the text part.
 */

export type TemplateParts = { subject: string; text: string; html: string };
export type TemplatePart = keyof TemplateParts;
export const TEMPLATE_PARTS: readonly TemplatePart[] = ["subject", "text", "html"];

/** Placeholder values by name (`ticket.number`, `message.body`, …). */
export type TemplateValues = Record<string, string>;

export type TemplateIssue =
  | { kind: "unknown"; part: TemplatePart; placeholder: string }
  | { kind: "syntax"; part: TemplatePart; near: string };

// A placeholder: `{{`, optional spaces, a name of lower-case words joined by dots or underscores, `}}`.
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** The placeholder names a template part uses, in order of appearance (with repeats). */
export function placeholdersOf(source: string): string[] {
  return [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * What is wrong with a template, given the placeholders its key offers: names it does not offer, names
 * that are not names at all, and `{{` left without its `}}`. Empty when the template is fine.
 */
export function checkTemplate(parts: TemplateParts, allowed: readonly string[]): TemplateIssue[] {
  const known = new Set(allowed);
  const issues: TemplateIssue[] = [];
  for (const part of TEMPLATE_PARTS) {
    const source = parts[part];
    const seen = new Set<string>();
    for (const name of placeholdersOf(source)) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (!NAME.test(name)) issues.push({ kind: "syntax", part, near: `{{${name}}}` });
      else if (!known.has(name)) issues.push({ kind: "unknown", part, placeholder: name });
    }
    const rest = source.replace(PLACEHOLDER, "");
    const stray = rest.indexOf("{{");
    if (stray >= 0) issues.push({ kind: "syntax", part, near: rest.slice(stray, stray + 30) });
  }
  return issues;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function fill(source: string, values: TemplateValues, encode: (value: string) => string): string {
  // A placeholder without a value renders empty: templates are checked when saved, so this is only a
  // value the situation does not have (an unassigned ticket's assignee).
  return source.replace(PLACEHOLDER, (_m, name: string) => encode(values[name] ?? ""));
}

/** Renders a checked template: html-escaped values (line breaks as <br>) in html, one line in the subject. */
export function renderTemplate(parts: TemplateParts, values: TemplateValues): TemplateParts {
  const subject = fill(parts.subject, values, (v) => v.replace(/[\r\n\t]+/g, " "))
    .replace(/\s+/g, " ")
    .trim();
  const text = fill(parts.text, values, (v) => v);
  const html = fill(parts.html, values, (v) => escapeHtml(v).replace(/\r?\n/g, "<br>\n"));
  return { subject, text, html };
}
