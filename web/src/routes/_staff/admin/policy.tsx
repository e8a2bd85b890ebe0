import { createFileRoute } from "@tanstack/react-router";
import { policyTextQuery } from "../../../api/policy";
import { PolicyPage } from "../../../features/admin/policy/PolicyPage";

// The component (and CodeMirror with it) is split into this route's own chunk by the router plugin.
export const Route = createFileRoute("/_staff/admin/policy")({
  loader: ({ context }) => context.queryClient.ensureQueryData(policyTextQuery()),
  component: PolicyPage,
});
