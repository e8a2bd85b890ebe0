import { AppError, type FieldIssue } from "../../../domain/errors.js";
import { checkTemplate, type TemplateParts } from "./render.js";
import type { EmailTemplateSpec } from "./templates.js";

/**
 * Throws unless every placeholder of the template is one its key offers and every `{{` is closed:
 * 400 `template_placeholder_unknown` naming the placeholder (and the ones it may use), or
 * 400 `template_syntax_invalid` showing where.
 */
export function assertValidTemplate(spec: EmailTemplateSpec, parts: TemplateParts): void {
  const issues = checkTemplate(parts, spec.placeholders);
  if (issues.length === 0) return;
  const fields: FieldIssue[] = issues.map((i) =>
    i.kind === "unknown"
      ? { path: `body.${i.part}`, message: `unknown placeholder {{${i.placeholder}}}` }
      : { path: `body.${i.part}`, message: `malformed placeholder near "${i.near}"` },
  );
  const unknown = issues.flatMap((i) => (i.kind === "unknown" ? [`{{${i.placeholder}}}`] : []));
  if (unknown.length > 0) {
    throw new AppError(
      "template_placeholder_unknown",
      `The template ${spec.key} cannot use ${[...new Set(unknown)].join(", ")}; it may use ${spec.placeholders.map((p) => `{{${p}}}`).join(", ")}.`,
      fields,
    );
  }
  throw new AppError("template_syntax_invalid", `The template has a malformed placeholder: write {{name}} with a name from its list.`, fields);
}
