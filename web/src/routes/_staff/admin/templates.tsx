import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { emailTemplatesQuery } from "../../../api/admin";
import { EmailTemplatesPage } from "../../../features/admin/EmailTemplatesPage";

export const Route = createFileRoute("/_staff/admin/templates")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(emailTemplatesQuery()),
    ]),
  component: EmailTemplatesPage,
});
