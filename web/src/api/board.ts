import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type * as boardSchemas from "../../../src/schemas/board.schemas";
import { apiFetch, queryString } from "./client";

export type Board = z.infer<typeof boardSchemas.BoardDto>;

/** The viewer's IANA zone: "today" on the board starts at their midnight. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The live board. The stream invalidates `["board"]` on every event (coalesced); the interval is for what
 * changes with no event at all: a target entering the next hour, an unacknowledged escalation growing old.
 */
export const boardQuery = (timeZone: string) =>
  queryOptions({
    queryKey: ["board", timeZone] as const,
    queryFn: ({ signal }) => apiFetch<Board>("GET", `/board${queryString({ tz: timeZone })}`, { signal }),
    staleTime: 5_000,
    refetchInterval: 30_000,
  });
