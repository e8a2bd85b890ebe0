import { createFileRoute } from "@tanstack/react-router";
import { TicketPage } from "../../features/ticket/TicketPage";

export const Route = createFileRoute("/_staff/tickets/$number")({
  component: TicketPage,
});
