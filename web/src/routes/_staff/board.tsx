import { createFileRoute } from "@tanstack/react-router";
import { BoardPage } from "../../features/board/BoardPage";

export const Route = createFileRoute("/_staff/board")({
  component: BoardPage,
});
