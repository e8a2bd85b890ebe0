import { AppError } from "../errors.js";

/** The placeholders a canned reply may use, filled for the ticket it is inserted on. */
export const CANNED_PLACEHOLDERS = [
  "customer.name",
  "customer.first_name",
  "customer.email",
  "ticket.number",
  "ticket.subject",
  "agent.name",
  "agent.first_name",
] as const;
export type CannedPlaceholder = (typeof CANNED_PLACEHOLDERS)[number];

// `{{`, optional spaces, anything but braces, optional spaces, `}}` (the mail templates' syntax).
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN = new Set<string>(CANNED_PLACEHOLDERS);

/**
 * Throws 400 `template_placeholder_unknown` (naming it and the ones allowed) for a placeholder that is not
 * on the list, or `template_syntax_invalid` for a `{{` left open, so a saved reply always renders whole.
 */
export function assertValidCannedBody(body: string): void {
  const unknown = [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !KNOWN.has(name)))];
  if (unknown.length > 0) {
    throw new AppError(
      "template_placeholder_unknown",
      `A canned reply cannot use ${unknown.map((n) => `{{${n}}}`).join(", ")}; it may use ${CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ")}.`,
      unknown.map((n) => ({ path: "body.body", message: `unknown placeholder {{${n}}}` })),
    );
  }
  const rest = body.replace(PLACEHOLDER, "");
  const stray = rest.indexOf("{{");
  if (stray >= 0) {
    throw new AppError("template_syntax_invalid", `The reply has an unclosed placeholder near "${rest.slice(stray, stray + 30)}": write {{name}}.`, [
      { path: "body.body", message: "malformed placeholder" },
    ]);
  }
}

/** The reply with its placeholders replaced by the values (a value the ticket lacks renders empty). */
export function fillCannedBody(body: string, values: Record<CannedPlaceholder, string>): string {
  return body.replace(PLACEHOLDER, (_m, name: string) => (KNOWN.has(name) ? values[name as CannedPlaceholder] : ""));
}

/** The first word of a name ("Carol" of "Carol Jones"). */
export const firstNameOf = (name: string): string => name.trim().split(/\s+/)[0] ?? "";
