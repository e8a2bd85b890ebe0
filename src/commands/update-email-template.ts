import { emailTemplates } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeEmailTemplates } from "../policies/email-template.policy.js";
import type { PutEmailTemplateInput } from "../schemas/email-template.schemas.js";
import { effectiveTemplates, type EffectiveTemplate } from "../channels/email/outbound/template-store.js";
import { templateSpecOf } from "../channels/email/outbound/templates.js";
import { assertValidTemplate } from "../channels/email/outbound/validate-template.js";
import type { CommandContext } from "./context.js";

/**
 * Replaces a template's text with an admin's version (admins only). Every placeholder must be one the
 * template's key offers; otherwise nothing is stored. Mail planned from then on uses it.
 */
export async function updateEmailTemplate(ctx: CommandContext, key: string, input: PutEmailTemplateInput): Promise<EffectiveTemplate> {
  authorizeEmailTemplates(ctx.actor);
  const spec = templateSpecOf(key);
  if (!spec) throw notFound("email_template_not_found", "Email template", key);
  assertValidTemplate(spec, input);
  const now = ctx.clock.now();
  const updatedById = ctx.actor.kind === "agent" ? ctx.actor.id : null;
  const values = { subject: input.subject, text: input.text, html: input.html, updatedAt: now, updatedById };
  await ctx.db
    .insert(emailTemplates)
    .values({ key: spec.key, ...values })
    .onConflictDoUpdate({ target: emailTemplates.key, set: values });
  const [template] = await effectiveTemplates(ctx.db, [spec.key]);
  return template!;
}
