import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { mailboxesQuery, teamsQuery } from "../../../api/admin";
import { MailboxesPage } from "../../../features/admin/MailboxesPage";

export const Route = createFileRoute("/_staff/admin/mailboxes")({
  validateSearch: z.object({ selected: z.string().max(200).optional() }),
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(mailboxesQuery()),
      context.queryClient.ensureQueryData(teamsQuery()),
    ]),
  component: MailboxesPage,
});
