import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { calendarsQuery, slaPoliciesQuery, teamsQuery } from "../../../api/admin";
import { SlaPoliciesPage } from "../../../features/admin/SlaPoliciesPage";

export const Route = createFileRoute("/_staff/admin/sla")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(slaPoliciesQuery()),
      context.queryClient.ensureQueryData(teamsQuery()),
      context.queryClient.ensureQueryData(calendarsQuery()),
    ]),
  component: SlaPoliciesPage,
});
