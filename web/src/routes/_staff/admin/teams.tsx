import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { agentsQuery, levelsQuery, teamsQuery } from "../../../api/admin";
import { TeamsPage } from "../../../features/admin/TeamsPage";

export const Route = createFileRoute("/_staff/admin/teams")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(teamsQuery()),
      context.queryClient.ensureQueryData(levelsQuery()),
      context.queryClient.ensureQueryData(agentsQuery()),
    ]),
  component: TeamsPage,
});
