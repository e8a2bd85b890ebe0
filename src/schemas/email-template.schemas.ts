import { z } from "zod";
import { EMAIL_TEMPLATE_KEYS } from "../channels/email/outbound/templates.js";
import { IsoDateTime, Uuid } from "./common.js";

/** `/email-templates/{key}`: any string here; a key outside the catalogue is a 404, not a validation error. */
export const TemplateKeyParams = z.object({ key: z.string().min(1).max(100) });

const parts = {
  /** One line; `[#<ticket number>]` is added to customer mail when the subject lacks it. */
  subject: z.string().trim().min(1).max(300).regex(/^[^\r\n]*$/, "must be one line"),
  text: z.string().min(1).max(50_000),
  html: z.string().min(1).max(200_000),
};

/** An edited template: subject, plain text and HTML, with `{{placeholder}}`s of the key's list. */
export const PutEmailTemplateBody = z.object(parts);
export type PutEmailTemplateInput = z.infer<typeof PutEmailTemplateBody>;

/** A preview of the saved template (no body), or of a draft: any part given replaces the saved one. */
export const PreviewEmailTemplateBody = z.object(parts).partial().nullish();
export type PreviewEmailTemplateInput = NonNullable<z.infer<typeof PreviewEmailTemplateBody>>;

const Parts = z.object({ subject: z.string(), text: z.string(), html: z.string() });

export const EmailTemplateDto = z
  .object({
    key: z.enum(EMAIL_TEMPLATE_KEYS),
    audience: z.enum(["customer", "agent"]),
    description: z.string(),
    /** The placeholders this template may use, as `{{name}}`. */
    placeholders: z.array(z.string()),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    /** True when an admin's version replaces the built-in one. */
    isCustomised: z.boolean(),
    updatedAt: IsoDateTime.nullable(),
    updatedById: Uuid.nullable(),
    builtIn: Parts,
  })
  .meta({ id: "EmailTemplate" });

export const EmailTemplatePreviewDto = Parts.extend({ key: z.enum(EMAIL_TEMPLATE_KEYS) }).meta({ id: "EmailTemplatePreview" });
