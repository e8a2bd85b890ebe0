import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { InboxPage } from "../../features/inbox/InboxPage";

export const Route = createFileRoute("/_staff/inbox")({
  validateSearch: z.object({ view: z.string().optional() }),
  component: InboxPage,
});
