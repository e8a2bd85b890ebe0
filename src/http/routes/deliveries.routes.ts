import type { Delivery } from "../../db/schema.js";
import type { Principal } from "../../domain/principal.js";
import { retryDelivery } from "../../outbox/retry-delivery.js";
import { seesWebhookUrls } from "../../policies/delivery.policy.js";
import { getDelivery, listDeliveries, listTicketDeliveries } from "../../queries/delivery.queries.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { DeliveryDetailDto, DeliveryDto, DeliveryIdParams, DeliveryQuery } from "../../schemas/delivery.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** A webhook URL's path may be its secret (Slack, Teams): only admins see it whole. */
function destinationFor(actor: Principal, d: Delivery): string {
  if (d.channel !== "webhook" || seesWebhookUrls(actor)) return d.destination;
  try {
    const url = new URL(d.destination);
    return url.pathname === "/" && !url.search ? url.origin : `${url.origin}/…`;
  } catch {
    return "…";
  }
}

const presentDelivery = (actor: Principal) => (d: Delivery) => {
  const { payload: _payload, lockedUntil: _lease, subscriptionId, ...fields } = d;
  return {
    ...fields,
    destination: destinationFor(actor, d),
    webhookId: subscriptionId,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
  };
};

const presentDetail = (actor: Principal) => (d: Delivery) => ({ ...presentDelivery(actor)(d), payload: d.payload });

/** The delivery log: what the outbox dispatcher sent where, what failed, and retrying the dead. */
export function deliveryRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["deliveries"];

  app.get("/deliveries", {
    schema: {
      tags,
      summary: "Notification deliveries (email, webhooks), newest first (managers and admins)",
      querystring: DeliveryQuery,
      response: { 200: pageOf(DeliveryDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => {
      const c = ctx(req);
      return presentPage(await listDeliveries(c, req.query), presentDelivery(c.actor));
    },
  });
  app.get("/deliveries/:id", {
    schema: { tags, summary: "One delivery, with the rendered message", params: DeliveryIdParams, response: { 200: DeliveryDetailDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => {
      const c = ctx(req);
      return presentDetail(c.actor)(await getDelivery(c, req.params.id));
    },
  });
  app.post("/deliveries/:id/retry", {
    schema: {
      tags,
      summary: "Put a dead delivery back in line, with a fresh set of attempts",
      params: DeliveryIdParams,
      response: { 200: DeliveryDetailDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => {
      const c = ctx(req);
      return presentDetail(c.actor)(await retryDelivery(c, req.params.id));
    },
  });
  app.get("/tickets/:id/deliveries", {
    schema: {
      tags,
      summary: "A ticket's notification deliveries, newest first (staff who may see the ticket)",
      params: IdParams,
      querystring: PageQuery,
      response: { 200: pageOf(DeliveryDto), ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => {
      const c = ctx(req);
      return presentPage(await listTicketDeliveries(c, req.params.id, req.query), presentDelivery(c.actor));
    },
  });
}
