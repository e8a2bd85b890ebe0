import { createFileRoute } from "@tanstack/react-router";
import { PortalTicketPage } from "../../../features/portal/PortalTicketPage";

export const Route = createFileRoute("/portal/tickets/$number")({
  component: PortalTicketPage,
});
