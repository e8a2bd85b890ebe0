import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { rulesQuery, teamsQuery } from "../../../api/admin";
import { RulesPage } from "../../../features/admin/RulesPage";

export const Route = createFileRoute("/_staff/admin/rules")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(rulesQuery()),
      context.queryClient.ensureQueryData(teamsQuery()),
    ]),
  component: RulesPage,
});
