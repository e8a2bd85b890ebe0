import { eq } from "drizzle-orm";
import { emailTemplates } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeEmailTemplates } from "../policies/email-template.policy.js";
import { effectiveTemplates, type EffectiveTemplate } from "../channels/email/outbound/template-store.js";
import { templateSpecOf } from "../channels/email/outbound/templates.js";
import type { CommandContext } from "./context.js";

/** Drops an admin's version of a template (admins only): the built-in text applies again. Idempotent. */
export async function resetEmailTemplate(ctx: CommandContext, key: string): Promise<EffectiveTemplate> {
  authorizeEmailTemplates(ctx.actor);
  const spec = templateSpecOf(key);
  if (!spec) throw notFound("email_template_not_found", "Email template", key);
  await ctx.db.delete(emailTemplates).where(eq(emailTemplates.key, spec.key));
  const [template] = await effectiveTemplates(ctx.db, [spec.key]);
  return template!;
}
