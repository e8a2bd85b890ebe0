import { Alert, Badge, Button, Group, Stack, Tabs, Text, Title } from "@mantine/core";
import { useQuery, useSuspenseInfiniteQuery } from "@tanstack/react-query";
import { getRouteApi } from "@tanstack/react-router";
import { useEffect, useMemo, useRef, useState } from "react";
import { ticketListQuery, viewCountsQuery, type TicketListItem, type TicketView } from "../../api/inbox";
import { describeProblem } from "../../api/describe-problem";
import { t, type MessageKey } from "../../i18n";
import { useShortcuts } from "../../ui/shortcuts";
import { BulkBar } from "./BulkBar";
import { InboxFilters } from "./InboxFilters";
import { filtersOf, VIEWS, type InboxSearch } from "./search";
import { TicketTable } from "./TicketTable";

const route = getRouteApi("/_staff/inbox");

const VIEW_LABELS: Record<TicketView, MessageKey> = {
  mine: "inbox.view.mine",
  team: "inbox.view.team",
  escalated: "inbox.view.escalated",
  "at-risk": "inbox.view.atRisk",
  waiting: "inbox.view.waiting",
  all: "inbox.view.all",
};

/** The inbox: views as tabs with counts, the filter bar, the ticket table with bulk actions and keyboard moves. */
export function InboxPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = useMemo(() => filtersOf(search), [search]);
  const list = useSuspenseInfiniteQuery(ticketListQuery(filters));
  const counts = useQuery(viewCountsQuery());
  const tickets = useMemo(() => list.data.pages.flatMap((p) => p.data), [list.data]);
  const [checked, setChecked] = useState<Set<string>>(new Set());

  // Checked rows that left the list (another view, a filter, a live change) are no longer offered for bulk changes.
  useEffect(() => {
    setChecked((prev) => {
      const ids = new Set(tickets.map((tk) => tk.id));
      const kept = new Set([...prev].filter((id) => ids.has(id)));
      return kept.size === prev.size ? prev : kept;
    });
  }, [tickets]);

  const setSearch = (change: Partial<InboxSearch>) => void navigate({ search: (prev) => ({ ...prev, ...change }), replace: "selected" in change && Object.keys(change).length === 1 });
  const selectedIndex = tickets.findIndex((tk) => tk.number === search.selected);
  // Keys pressed faster than the URL updates still each move one row: the next move starts from the last one.
  const current = useRef(search.selected);
  useEffect(() => {
    current.current = search.selected;
  }, [search.selected]);
  const move = (by: number) => {
    if (tickets.length === 0) return;
    const from = tickets.findIndex((tk) => tk.number === current.current);
    const next = from < 0 ? (by > 0 ? 0 : tickets.length - 1) : Math.min(tickets.length - 1, Math.max(0, from + by));
    current.current = tickets[next]!.number;
    setSearch({ selected: current.current });
  };
  const openSelected = () => {
    const tk = tickets[selectedIndex];
    if (tk) void navigate({ to: "/tickets/$number", params: { number: String(tk.number) } });
  };
  useShortcuts([
    { keys: "j", label: "inbox.shortcut.next", run: () => move(1) },
    { keys: "k", label: "inbox.shortcut.previous", run: () => move(-1) },
    { keys: "Enter", label: "inbox.shortcut.open", run: openSelected, enabled: selectedIndex >= 0 },
    { keys: "o", label: "inbox.shortcut.open", run: openSelected, enabled: selectedIndex >= 0 },
  ]);

  const view = filters.view!;
  const checkedTickets: TicketListItem[] = tickets.filter((tk) => checked.has(tk.id));

  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        {t("inbox.title")}
      </Title>
      <Tabs value={view} onChange={(v) => v && setSearch({ view: v as TicketView, selected: undefined })} keepMounted={false}>
        <Tabs.List aria-label={t("inbox.views")} style={{ flexWrap: "nowrap", overflowX: "auto" }}>
          {VIEWS.map((v) => (
            <Tabs.Tab key={v} value={v} style={{ flexShrink: 0 }} rightSection={counts.data ? <Badge size="sm" variant={v === view ? "filled" : "light"}>{counts.data[v]}</Badge> : undefined}>
              {t(VIEW_LABELS[v])}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <InboxFilters search={search} onChange={(change) => setSearch({ ...change, selected: undefined })} />
      {checkedTickets.length > 0 && <BulkBar tickets={checkedTickets} onDone={() => setChecked(new Set())} />}
      {list.isRefetchError && (
        <Alert color="red" title={t("inbox.refreshFailed")}>
          {describeProblem(list.error).message}
        </Alert>
      )}
      <TicketTable
        tickets={tickets}
        selected={search.selected}
        checked={checked}
        onCheck={(ids, on) =>
          setChecked((prev) => {
            const next = new Set(prev);
            for (const id of ids) {
              if (on) next.add(id);
              else next.delete(id);
            }
            return next;
          })
        }
      />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {t(list.hasNextPage ? "inbox.shownMore" : "inbox.shown", { count: tickets.length })}
        </Text>
        {list.hasNextPage && (
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t("inbox.loadMore")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
