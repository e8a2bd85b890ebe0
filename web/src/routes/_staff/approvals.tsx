import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { approvalsQuery } from "../../api/approvals";
import { ApprovalsPage } from "../../features/escalation/ApprovalsPage";

export const Route = createFileRoute("/_staff/approvals")({
  validateSearch: z.object({ status: z.enum(["pending", "approved", "denied"]).catch("pending").default("pending") }),
  loaderDeps: ({ search }) => ({ status: search.status }),
  loader: ({ context, deps }) => context.queryClient.ensureQueryData(approvalsQuery(deps.status)),
  component: ApprovalsPage,
});
