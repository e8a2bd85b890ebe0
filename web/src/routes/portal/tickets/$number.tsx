import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { portalTicketQuery } from "../../../api/portal";
import { PortalTicketPage } from "../../../features/portal/PortalTicketPage";
import { portalUser } from "../../../features/portal/guard";

export const Route = createFileRoute("/portal/tickets/$number")({
  params: { parse: (p) => ({ number: z.coerce.number().int().min(1).parse(p.number) }), stringify: (p) => ({ number: String(p.number) }) },
  beforeLoad: async ({ context }) => ({ customer: await portalUser(context.queryClient) }),
  loader: async ({ context, params }) => {
    if (context.customer) await context.queryClient.ensureQueryData(portalTicketQuery(params.number));
  },
  component: PortalTicketPage,
});
