import { createFileRoute } from "@tanstack/react-router";
import { AdminLayout } from "../../features/admin/AdminLayout";

export const Route = createFileRoute("/_staff/admin")({
  component: AdminLayout,
});
