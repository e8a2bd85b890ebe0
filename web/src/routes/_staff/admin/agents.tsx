import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { agentsQuery, calendarsQuery, roleLimitsQuery, teamsQuery } from "../../../api/admin";
import { AgentsPage } from "../../../features/admin/AgentsPage";

export const Route = createFileRoute("/_staff/admin/agents")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(agentsQuery()),
      context.queryClient.ensureQueryData(teamsQuery()),
      context.queryClient.ensureQueryData(calendarsQuery()),
      context.queryClient.ensureQueryData(roleLimitsQuery()),
    ]),
  component: AgentsPage,
});
