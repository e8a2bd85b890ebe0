import { createFileRoute } from "@tanstack/react-router";
import { boardQuery, viewerTimeZone } from "../../api/board";
import { BoardPage } from "../../features/board/BoardPage";

export const Route = createFileRoute("/_staff/board")({
  // Prefetched, not awaited as an error: a refusal (403) is the screen's to explain, not the route's.
  loader: ({ context }) => void context.queryClient.prefetchQuery(boardQuery(viewerTimeZone())),
  component: BoardPage,
});
