// The ticket list as the inbox and the command palette read it: views, filters, counts, bulk changes.
import { infiniteQueryOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as org from "../../../src/schemas/organisation.schemas";
import type * as ticket from "../../../src/schemas/ticket.schemas";
import { apiFetch, fetchAllPages, queryString } from "./client";
import type { Page, Ticket } from "./types";

export type TicketListItem = z.infer<typeof ticket.TicketListItemDto>;
export type TicketView = ticket.TicketView;
export type TicketSort = ticket.TicketSort;
export type ViewCounts = z.infer<typeof ticket.TicketViewCountsDto>["counts"];
export type BulkChange = z.input<typeof ticket.BulkUpdateTicketsBody>["change"];
export type Level = z.infer<typeof org.LevelDto>;
export type Team = z.infer<typeof org.TeamDto>;
export type Agent = z.infer<typeof org.AgentDto>;

/** The list's filters, with the names `GET /tickets` and the inbox URL share. */
export type TicketFilters = {
  view?: TicketView | undefined;
  status?: Ticket["status"] | undefined;
  priority?: Ticket["priority"] | undefined;
  levelId?: string | undefined;
  teamId?: string | undefined;
  assigneeId?: string | undefined;
  category?: string | undefined;
  channel?: Ticket["channel"] | undefined;
  tag?: string[] | undefined;
  q?: string | undefined;
  overdue?: "true" | undefined;
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  updatedFrom?: string | undefined;
  updatedTo?: string | undefined;
  sort?: TicketSort | undefined;
  dir?: "asc" | "desc" | undefined;
};

const PAGE = 50;

/**
 * The tickets of a view and its filters, a keyset page at a time. The key starts with `["tickets", "list"]`,
 * which the live stream invalidates on every ticket event, so the list follows changes without reload.
 */
export const ticketListQuery = (filters: TicketFilters) =>
  infiniteQueryOptions({
    queryKey: ["tickets", "list", filters] as const,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<Page<TicketListItem>>("GET", `/tickets${queryString({ ...filters, limit: PAGE, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** A few tickets matching a text, for the command palette. */
export const ticketSearchQuery = (q: string) =>
  queryOptions({
    queryKey: ["tickets", "list", "search", q] as const,
    queryFn: ({ signal }) => apiFetch<Page<TicketListItem>>("GET", `/tickets${queryString({ view: "all", q, limit: 6 })}`, { signal }),
    enabled: q.trim().length >= 2,
    staleTime: 10_000,
  });

/** How many tickets each view holds for the signed-in person (refreshed with the lists). */
export const viewCountsQuery = () =>
  queryOptions({
    queryKey: ["tickets", "list", "counts"] as const,
    queryFn: () => apiFetch<{ counts: ViewCounts }>("GET", "/tickets/views").then((r) => r.counts),
  });


export const levelsQuery = () => queryOptions({ queryKey: ["levels"] as const, queryFn: () => fetchAllPages<Level>("/levels"), staleTime: 5 * 60_000 });
export const teamsQuery = () => queryOptions({ queryKey: ["teams"] as const, queryFn: () => fetchAllPages<Team>("/teams"), staleTime: 5 * 60_000 });
export const agentsQuery = () => queryOptions({ queryKey: ["agents"] as const, queryFn: () => fetchAllPages<Agent>("/agents"), staleTime: 5 * 60_000 });

/** Applies one change to the given tickets, all or nothing; refreshes the lists and those tickets. */
export async function bulkUpdateTickets(queryClient: QueryClient, ticketIds: string[], change: BulkChange): Promise<Ticket[]> {
  const { data } = await apiFetch<{ data: Ticket[] }>("POST", "/tickets/bulk", { body: { ticketIds, change } });
  await queryClient.invalidateQueries({ queryKey: ["tickets", "list"] });
  for (const t of data) void queryClient.invalidateQueries({ queryKey: ["tickets", t.number] });
  return data;
}
