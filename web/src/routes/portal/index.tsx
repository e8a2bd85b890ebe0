import { createFileRoute } from "@tanstack/react-router";
import { portalTicketsQuery } from "../../api/portal";
import { PortalHome } from "../../features/portal/PortalHome";
import { portalUser } from "../../features/portal/guard";

export const Route = createFileRoute("/portal/")({
  beforeLoad: async ({ context }) => ({ customer: await portalUser(context.queryClient) }),
  loader: async ({ context }) => {
    if (context.customer) await context.queryClient.ensureQueryData(portalTicketsQuery());
  },
  component: PortalHome,
});
