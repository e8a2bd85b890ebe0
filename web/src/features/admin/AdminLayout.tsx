import { Outlet } from "@tanstack/react-router";

// Placeholder of the skeleton: the admin slice replaces it.
export function AdminLayout() {
  return <Outlet />;
}
