import { createFileRoute, redirect } from "@tanstack/react-router";
import { sessionQuery } from "../api/session";
import { StaffShell } from "../features/layout/StaffShell";

// Every staff screen: a signed-in agent, lead, manager or admin. Customers go to their portal.
export const Route = createFileRoute("/_staff")({
  beforeLoad: async ({ context, location }) => {
    const user = await context.queryClient.ensureQueryData(sessionQuery());
    if (!user) throw redirect({ to: "/login", search: { redirect: location.href } });
    if (user.kind === "customer") throw redirect({ to: "/portal" });
    return { user };
  },
  component: StaffShell,
});
