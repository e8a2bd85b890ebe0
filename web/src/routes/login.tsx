import { createFileRoute, redirect } from "@tanstack/react-router";
import { z } from "zod";
import { homeOf, sessionQuery } from "../api/session";
import { LoginPage } from "../features/auth/LoginPage";

export const Route = createFileRoute("/login")({
  validateSearch: z.object({ redirect: z.string().startsWith("/").optional() }),
  beforeLoad: async ({ context }) => {
    const user = await context.queryClient.ensureQueryData(sessionQuery());
    if (user) throw redirect({ to: homeOf(user) });
  },
  component: LoginPage,
});
