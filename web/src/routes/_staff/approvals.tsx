import { createFileRoute } from "@tanstack/react-router";
import { ApprovalsPage } from "../../features/escalation/ApprovalsPage";

export const Route = createFileRoute("/_staff/approvals")({
  component: ApprovalsPage,
});
