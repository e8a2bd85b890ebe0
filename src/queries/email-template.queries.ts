import type { CommandContext } from "../commands/context.js";
import { notFound } from "../domain/errors.js";
import { authorizeEmailTemplates } from "../policies/email-template.policy.js";
import type { PreviewEmailTemplateInput } from "../schemas/email-template.schemas.js";
import { withTicketToken } from "../channels/email/outbound/plan-email.js";
import { renderTemplate, type TemplateParts } from "../channels/email/outbound/render.js";
import { effectiveTemplates, type EffectiveTemplate } from "../channels/email/outbound/template-store.js";
import { EMAIL_TEMPLATE_KEYS, SAMPLE_VALUES, templateSpecOf, type EmailTemplateKey } from "../channels/email/outbound/templates.js";
import { assertValidTemplate } from "../channels/email/outbound/validate-template.js";
import { decodeCursor, invalidCursor, toPage, type Page, type PageInput } from "./cursor.js";

/** The template catalogue with each template as it is used now, in catalogue order (admins only). */
export async function listEmailTemplates(ctx: CommandContext, q: PageInput): Promise<Page<EffectiveTemplate>> {
  authorizeEmailTemplates(ctx.actor);
  const after = decodeCursor(q.cursor, "s");
  const position = after ? EMAIL_TEMPLATE_KEYS.indexOf(after[0] as EmailTemplateKey) : -1;
  if (after && position < 0) {
    throw invalidCursor();
  }
  const start = position + 1;
  const keys = EMAIL_TEMPLATE_KEYS.slice(start, start + q.limit + 1);
  return toPage(await effectiveTemplates(ctx.db, keys), q.limit, (t) => [t.key]);
}

/** One template as it is used now (admins only). */
export async function getEmailTemplate(ctx: CommandContext, key: string): Promise<EffectiveTemplate> {
  authorizeEmailTemplates(ctx.actor);
  const spec = templateSpecOf(key);
  if (!spec) throw notFound("email_template_not_found", "Email template", key);
  const [template] = await effectiveTemplates(ctx.db, [spec.key]);
  return template!;
}

/**
 * The template rendered with example values (admins only): the saved one, or a draft whose given parts
 * replace the saved ones. A draft is checked like a save; nothing is written.
 */
export async function previewEmailTemplate(ctx: CommandContext, key: string, draft: PreviewEmailTemplateInput): Promise<TemplateParts & { key: EmailTemplateKey }> {
  const saved = await getEmailTemplate(ctx, key);
  const spec = templateSpecOf(key)!;
  const parts: TemplateParts = { subject: draft.subject ?? saved.subject, text: draft.text ?? saved.text, html: draft.html ?? saved.html };
  assertValidTemplate(spec, parts);
  const values = Object.fromEntries(spec.placeholders.map((p) => [p, SAMPLE_VALUES[p] ?? ""]));
  const rendered = renderTemplate(parts, values);
  return { key: spec.key, ...rendered, subject: spec.standalone ? rendered.subject : withTicketToken(rendered.subject, Number(SAMPLE_VALUES["ticket.number"]), spec.audience === "customer") };
}
