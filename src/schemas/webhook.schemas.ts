import { z } from "zod";
import { WEBHOOK_EVENT_PATTERNS } from "../channels/webhooks/events.js";
import { IsoDateTime, Name, Uuid } from "./common.js";

export const WEBHOOK_FORMATS = ["json", "slack", "teams"] as const;

/** Where a webhook POSTs: an absolute http or https URL, without user:password (fetch refuses those). */
export const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute http or https URL" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") ctx.addIssue({ code: "custom", message: "must use http or https" });
    else if (url.username || url.password) ctx.addIssue({ code: "custom", message: "must not contain a user name or password" });
  })
  .meta({ description: "An http or https URL", example: "https://example.com/hooks/tierline" });

/** The topics a webhook wants (e.g. `escalation.created`, or a group such as `sla.*`); empty: every topic. */
export const WebhookEvents = z
  .array(
    z.string().refine((e) => WEBHOOK_EVENT_PATTERNS.includes(e), {
      message: `must be one of: ${WEBHOOK_EVENT_PATTERNS.join(", ")}`,
    }),
  )
  .max(100)
  .transform((events) => [...new Set(events)])
  .meta({ description: "Topics to deliver (a topic, or a group like `sla.*`); empty means every topic", example: ["escalation.created", "sla.*"] });

/** A secret of the caller's choosing: printable ASCII, no spaces, 16 to 200 characters. */
const Secret = z
  .string()
  .min(16)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII characters without spaces")
  .meta({ description: "The HMAC secret to sign with; generated when left out" });

export const CreateWebhookBody = z.object({
  name: Name,
  url: WebhookUrl,
  events: WebhookEvents.default([]),
  format: z.enum(WEBHOOK_FORMATS).default("json"),
  active: z.boolean().default(true),
  secret: Secret.optional(),
});

export const UpdateWebhookBody = z
  .object({
    name: Name,
    url: WebhookUrl,
    events: WebhookEvents,
    format: z.enum(WEBHOOK_FORMATS),
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const RotateSecretBody = z.object({ secret: Secret.optional() }).default({});

export const WebhookDto = z
  .object({
    id: Uuid,
    name: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    format: z.enum(WEBHOOK_FORMATS),
    active: z.boolean(),
    createdById: Uuid.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: "Webhook" });

/** The create and rotate answers: the only time the secret is shown. */
export const WebhookWithSecretDto = WebhookDto.extend({
  secret: z.string().meta({ description: "Signs every delivery; shown only now, keep it" }),
}).meta({ id: "WebhookWithSecret" });

export type CreateWebhookInput = z.infer<typeof CreateWebhookBody>;
export type UpdateWebhookInput = z.infer<typeof UpdateWebhookBody>;
export type RotateSecretInput = z.infer<typeof RotateSecretBody>;
