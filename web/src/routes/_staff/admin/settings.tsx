import { createFileRoute } from "@tanstack/react-router";
import { agentsQuery, settingsQuery } from "../../../api/admin";
import { SettingsPage } from "../../../features/admin/SettingsPage";

export const Route = createFileRoute("/_staff/admin/settings")({
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(settingsQuery()),
      context.queryClient.ensureQueryData(agentsQuery()),
    ]),
  component: SettingsPage,
});
