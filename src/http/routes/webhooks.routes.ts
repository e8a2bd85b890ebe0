import { z } from "zod";
import { WEBHOOK_EVENT_PATTERNS } from "../../channels/webhooks/events.js";
import { createWebhook } from "../../commands/create-webhook.js";
import { deleteWebhook } from "../../commands/delete-webhook.js";
import { rotateWebhookSecret } from "../../commands/rotate-webhook-secret.js";
import { updateWebhook } from "../../commands/update-webhook.js";
import type { WebhookSubscription } from "../../db/schema.js";
import { getWebhook, listWebhooks } from "../../queries/webhook.queries.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { CreateWebhookBody, RotateSecretBody, UpdateWebhookBody, WebhookDto, WebhookWithSecretDto } from "../../schemas/webhook.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** A webhook as the API shows it: everything but the secret. */
const presentWebhook = ({ secret: _secret, ...w }: WebhookSubscription) => ({
  ...w,
  createdAt: w.createdAt.toISOString(),
  updatedAt: w.updatedAt.toISOString(),
});

const withSecret = ({ webhook, secret }: { webhook: WebhookSubscription; secret: string }) => ({ ...presentWebhook(webhook), secret });

/** Webhook subscriptions (admins): CRUD, the event topics, and rotating the signing secret. */
export function webhookRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["webhooks"];

  app.get("/webhooks/events", {
    schema: {
      tags,
      summary: "The topics a webhook can subscribe to (and group patterns such as `sla.*`)",
      response: { 200: z.object({ events: z.array(z.string()) }), ...problems(401) },
    },
    handler: async () => ({ events: [...WEBHOOK_EVENT_PATTERNS] }),
  });
  app.post("/webhooks", {
    schema: {
      tags,
      summary: "Subscribe a URL to events; the answer shows the signing secret, this once",
      body: CreateWebhookBody,
      response: { 201: WebhookWithSecretDto, ...problems(400, 401, 403) },
    },
    handler: async (req, reply) => reply.code(201).send(withSecret(await createWebhook(ctx(req), req.body))),
  });
  app.get("/webhooks", {
    schema: { tags, summary: "The webhooks, by name", querystring: PageQuery, response: { 200: pageOf(WebhookDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listWebhooks(ctx(req), req.query), presentWebhook),
  });
  app.get("/webhooks/:id", {
    schema: { tags, summary: "One webhook (without its secret)", params: IdParams, response: { 200: WebhookDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentWebhook(await getWebhook(ctx(req), req.params.id)),
  });
  app.patch("/webhooks/:id", {
    schema: {
      tags,
      summary: "Change a webhook's name, URL, events, format or active flag",
      params: IdParams,
      body: UpdateWebhookBody,
      response: { 200: WebhookDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentWebhook(await updateWebhook(ctx(req), req.params.id, req.body)),
  });
  app.delete("/webhooks/:id", {
    schema: { tags, summary: "Delete a webhook; its pending deliveries are given up", params: IdParams, response: { 204: z.undefined(), ...problems(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await deleteWebhook(ctx(req), req.params.id);
      return reply.code(204).send();
    },
  });
  app.post("/webhooks/:id/rotate-secret", {
    schema: {
      tags,
      summary: "Replace the signing secret (given, or a new random one); the answer shows it, this once",
      params: IdParams,
      body: RotateSecretBody,
      response: { 200: WebhookWithSecretDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => withSecret(await rotateWebhookSecret(ctx(req), req.params.id, req.body)),
  });
}
