import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { apiFetch } from "./client";
import { ApiProblem } from "./problem";
import type { User } from "./types";

/** The signed-in person, or null when nobody is (a 401 is an answer here, not an error). */
export const sessionQuery = () =>
  queryOptions({
    queryKey: ["session"] as const,
    queryFn: async (): Promise<User | null> => {
      try {
        return (await apiFetch<{ user: User }>("GET", "/auth/me")).user;
      } catch (err) {
        if (err instanceof ApiProblem && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
  });

export async function logIn(queryClient: QueryClient, email: string, password: string): Promise<User> {
  const { user } = await apiFetch<{ user: User }>("POST", "/auth/login", { body: { email, password } });
  queryClient.clear();
  queryClient.setQueryData(sessionQuery().queryKey, user);
  return user;
}

export async function logOut(queryClient: QueryClient): Promise<void> {
  await apiFetch<void>("POST", "/auth/logout");
  queryClient.clear();
  queryClient.setQueryData(sessionQuery().queryKey, null);
}

/** Where a person lands after logging in: customers in the portal, staff in their inbox. */
export function homeOf(user: User): string {
  return user.kind === "customer" ? "/portal" : "/inbox";
}

export const isLead = (u: User | null | undefined) => u?.kind === "agent" && (u.role === "lead" || u.role === "manager" || u.role === "admin");
export const isAdmin = (u: User | null | undefined) => u?.kind === "agent" && u.role === "admin";
