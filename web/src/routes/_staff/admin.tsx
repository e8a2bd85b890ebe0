import { createFileRoute } from "@tanstack/react-router";
import { ApiProblem } from "../../api/problem";
import { isAdmin } from "../../api/session";
import { AdminLayout, AdminRefusal } from "../../features/admin/AdminLayout";
import { RouteError } from "../../ui/RouteError";

// Every admin page is for admins only; anyone else is told so here, before any admin data is loaded.
export const Route = createFileRoute("/_staff/admin")({
  beforeLoad: ({ context }) => {
    if (!isAdmin(context.user)) throw new ApiProblem(403, { code: "forbidden", detail: "admin only" });
  },
  errorComponent: (props) => (props.error instanceof ApiProblem && props.error.status === 403 ? <AdminRefusal /> : <RouteError {...props} />),
  component: AdminLayout,
});
