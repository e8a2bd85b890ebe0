import { createFileRoute } from "@tanstack/react-router";
import { policyPathsQuery } from "../../../api/policy";
import { FlowchartPage } from "../../../features/admin/flowchart/FlowchartPage";

// The component (and @xyflow/react with it) is split into this route's own chunk by the router plugin.
export const Route = createFileRoute("/_staff/admin/flowchart")({
  loader: ({ context }) => context.queryClient.ensureQueryData(policyPathsQuery()),
  component: FlowchartPage,
});
