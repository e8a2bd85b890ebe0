import { createFileRoute, notFound } from "@tanstack/react-router";
import { ticketQuery } from "../../api/tickets";
import { TicketPage } from "../../features/ticket/TicketPage";

/** A ticket number from the path, or null when it is not one (then the page is not found). */
const ticketNumberOf = (raw: string): number | null => (/^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null);

export const Route = createFileRoute("/_staff/tickets/$number")({
  loader: async ({ context, params }) => {
    const number = ticketNumberOf(params.number);
    if (number === null) throw notFound();
    await context.queryClient.ensureQueryData(ticketQuery(number));
    return { number };
  },
  component: TicketRoute,
});

function TicketRoute() {
  const { number } = Route.useLoaderData();
  return <TicketPage number={number} />;
}
