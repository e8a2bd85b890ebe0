import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { calendarsQuery } from "../../../api/admin";
import { CalendarsPage } from "../../../features/admin/CalendarsPage";

export const Route = createFileRoute("/_staff/admin/calendars")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(calendarsQuery()),
    ]),
  component: CalendarsPage,
});
