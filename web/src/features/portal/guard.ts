import type { QueryClient } from "@tanstack/react-query";
import { redirect } from "@tanstack/react-router";
import { sessionQuery } from "../../api/session";
import type { User } from "../../api/types";

/**
 * The portal's guard: nobody signed in goes to the portal's sign-in; a customer passes; staff pass too,
 * but the portal's frame shows them a notice instead of the screen (their loaders load nothing).
 */
export async function portalUser(queryClient: QueryClient): Promise<User & { kind: "customer" } | null> {
  const user = await queryClient.ensureQueryData(sessionQuery());
  if (!user) throw redirect({ to: "/portal/sign-in" });
  return user.kind === "customer" ? (user as User & { kind: "customer" }) : null;
}
