import { createFileRoute, redirect } from "@tanstack/react-router";
import { sessionQuery } from "../../api/session";
import { InboxPage } from "../../features/inbox/InboxPage";

export const Route = createFileRoute("/portal/")({
  beforeLoad: async ({ context }) => {
    const user = await context.queryClient.ensureQueryData(sessionQuery());
    if (!user) throw redirect({ to: "/login" });
  },
  component: InboxPage,
});
