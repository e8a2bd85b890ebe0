import { createFileRoute } from "@tanstack/react-router";
import { ticketListQuery, viewCountsQuery } from "../../api/inbox";
import { InboxPage } from "../../features/inbox/InboxPage";
import { filtersOf, InboxSearch } from "../../features/inbox/search";

export const Route = createFileRoute("/_staff/inbox")({
  validateSearch: InboxSearch,
  // The selected ticket moves with j/k: it must not refetch the list.
  loaderDeps: ({ search }) => filtersOf(search),
  loader: async ({ context, deps }) => {
    void context.queryClient.prefetchQuery(viewCountsQuery());
    await context.queryClient.ensureInfiniteQueryData(ticketListQuery(deps));
  },
  component: InboxPage,
});
