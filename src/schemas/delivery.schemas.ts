import { z } from "zod";
import { IsoDateTime, PageQuery, Uuid } from "./common.js";

export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export const DELIVERY_CHANNELS = ["email", "webhook"] as const;

export const DeliveryQuery = PageQuery.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  channel: z.enum(DELIVERY_CHANNELS).optional(),
  ticketId: Uuid.optional(),
  webhookId: Uuid.optional(),
});

export const DeliveryIdParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const DeliveryDto = z
  .object({
    id: z.number().int(),
    outboxId: z.number().int().nullable(),
    channel: z.enum(DELIVERY_CHANNELS),
    topic: z.string(),
    destination: z.string().meta({ description: "An email address or a webhook URL (its path hidden from all but admins)" }),
    webhookId: Uuid.nullable(),
    ticketId: Uuid.nullable(),
    idempotencyKey: z.string().meta({ description: "Sent with the message (Tierline-Delivery header, X-Tierline-Delivery mail header) so a receiver can drop repeats" }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    nextAttemptAt: IsoDateTime.nullable().meta({ description: "When a pending delivery is tried next" }),
    lastError: z.string().nullable(),
    createdAt: IsoDateTime,
    deliveredAt: IsoDateTime.nullable(),
  })
  .meta({ id: "Delivery" });

export const DeliveryDetailDto = DeliveryDto.extend({
  payload: z.record(z.string(), z.unknown()).meta({ description: "The rendered message: for email {to, subject, text, html, …}; for a webhook {format, body}" }),
}).meta({ id: "DeliveryDetail" });

export type DeliveryQueryInput = z.infer<typeof DeliveryQuery>;
