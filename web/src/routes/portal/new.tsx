import { createFileRoute } from "@tanstack/react-router";
import { PortalNewTicket } from "../../features/portal/PortalNewTicket";

export const Route = createFileRoute("/portal/new")({
  component: PortalNewTicket,
});
