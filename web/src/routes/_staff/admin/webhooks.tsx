import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { webhookEventsQuery, webhooksQuery } from "../../../api/admin";
import { WebhooksPage } from "../../../features/admin/WebhooksPage";

export const Route = createFileRoute("/_staff/admin/webhooks")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(webhooksQuery()),
      context.queryClient.ensureQueryData(webhookEventsQuery()),
    ]),
  component: WebhooksPage,
});
