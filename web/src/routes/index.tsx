import { createFileRoute, redirect } from "@tanstack/react-router";
import { homeOf, sessionQuery } from "../api/session";

// `/` sends each person to where they work: the inbox, the portal, or the log-in page.
export const Route = createFileRoute("/")({
  beforeLoad: async ({ context }) => {
    const user = await context.queryClient.ensureQueryData(sessionQuery());
    throw redirect({ to: user ? homeOf(user) : "/login" });
  },
});
