import { createFileRoute } from "@tanstack/react-router";
import { portalSettingsQuery } from "../../api/portal";
import { PortalNewTicket } from "../../features/portal/PortalNewTicket";
import { portalUser } from "../../features/portal/guard";

export const Route = createFileRoute("/portal/new")({
  beforeLoad: async ({ context }) => ({ customer: await portalUser(context.queryClient) }),
  loader: async ({ context }) => {
    if (context.customer) await context.queryClient.ensureQueryData(portalSettingsQuery());
  },
  component: PortalNewTicket,
});
