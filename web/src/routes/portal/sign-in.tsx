import { createFileRoute, redirect } from "@tanstack/react-router";
import { z } from "zod";
import { sessionQuery } from "../../api/session";
import { PortalSignIn } from "../../features/portal/PortalSignIn";

export const Route = createFileRoute("/portal/sign-in")({
  // `token`: the mailed link's; the page signs in with it and goes on to the portal.
  validateSearch: z.object({ token: z.string().min(1).max(200).optional() }),
  beforeLoad: async ({ context, search }) => {
    const user = await context.queryClient.ensureQueryData(sessionQuery());
    if (user?.kind === "customer" && !search.token) throw redirect({ to: "/portal" });
  },
  component: PortalSignIn,
});
