import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { levelsQuery, teamsQuery } from "../../../api/admin";
import { LevelsPage } from "../../../features/admin/LevelsPage";

export const Route = createFileRoute("/_staff/admin/levels")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(levelsQuery()),
      context.queryClient.ensureQueryData(teamsQuery()),
    ]),
  component: LevelsPage,
});
