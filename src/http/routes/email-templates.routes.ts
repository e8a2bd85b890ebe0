import type { EffectiveTemplate } from "../../channels/email/outbound/template-store.js";
import { EMAIL_TEMPLATES } from "../../channels/email/outbound/templates.js";
import { resetEmailTemplate } from "../../commands/reset-email-template.js";
import { updateEmailTemplate } from "../../commands/update-email-template.js";
import { getEmailTemplate, listEmailTemplates, previewEmailTemplate } from "../../queries/email-template.queries.js";
import { pageOf, PageQuery } from "../../schemas/common.js";
import { EmailTemplateDto, EmailTemplatePreviewDto, PreviewEmailTemplateBody, PutEmailTemplateBody, TemplateKeyParams } from "../../schemas/email-template.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

const presentTemplate = (t: EffectiveTemplate) => {
  const spec = EMAIL_TEMPLATES.get(t.key)!;
  return {
    key: t.key,
    audience: spec.audience,
    description: spec.description,
    placeholders: [...spec.placeholders],
    subject: t.subject,
    text: t.text,
    html: t.html,
    isCustomised: t.isCustomised,
    updatedAt: t.updatedAt ? t.updatedAt.toISOString() : null,
    updatedById: t.updatedById,
    builtIn: spec.builtIn,
  };
};

/** The templates of outgoing mail: built-in texts an admin may replace, reset and preview. */
export function emailTemplateRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["email templates"];

  app.get("/email-templates", {
    schema: { tags, summary: "The email templates, as they are used now", querystring: PageQuery, response: { 200: pageOf(EmailTemplateDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listEmailTemplates(ctx(req), req.query), presentTemplate),
  });
  app.get("/email-templates/:key", {
    schema: { tags, summary: "One email template, with its placeholders and built-in text", params: TemplateKeyParams, response: { 200: EmailTemplateDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentTemplate(await getEmailTemplate(ctx(req), req.params.key)),
  });
  app.put("/email-templates/:key", {
    schema: {
      tags,
      summary: "Replace an email template's subject, text and HTML (placeholders must be from its list)",
      params: TemplateKeyParams,
      body: PutEmailTemplateBody,
      response: { 200: EmailTemplateDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentTemplate(await updateEmailTemplate(ctx(req), req.params.key, req.body)),
  });
  app.delete("/email-templates/:key", {
    schema: { tags, summary: "Go back to the built-in template", params: TemplateKeyParams, response: { 200: EmailTemplateDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentTemplate(await resetEmailTemplate(ctx(req), req.params.key)),
  });
  app.post("/email-templates/:key/preview", {
    schema: {
      tags,
      summary: "Render the template (or a draft of it) with example values; nothing is saved",
      params: TemplateKeyParams,
      body: PreviewEmailTemplateBody,
      response: { 200: EmailTemplatePreviewDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => previewEmailTemplate(ctx(req), req.params.key, req.body ?? {}),
  });
}
