import { ActionIcon, Badge, Button, Group, Popover, Select, Stack, Switch, TagsInput, Text, TextInput, Tooltip } from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { IconCalendar, IconSearch, IconSortAscending, IconSortDescending, IconX } from "@tabler/icons-react";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useEffect, useState } from "react";
import { CHANNELS, PRIORITIES, TICKET_STATUSES } from "../../../../src/domain/vocabulary";
import { levelsQuery, teamsQuery } from "../../api/inbox";
import { t, type MessageKey } from "../../i18n";
import { activeFilterCount, SORTS, type InboxSearch } from "./search";
import { priorityLabel, statusLabel } from "./TicketTable";

type Change = Partial<InboxSearch>;

const SORT_LABELS: Record<(typeof SORTS)[number], MessageKey> = {
  created: "inbox.sort.created",
  updated: "inbox.sort.updated",
  priority: "inbox.sort.priority",
  due: "inbox.sort.due",
};

/** A day range as the API's inclusive bounds: from the start of the first day to the end of the last. */
function rangeOf(value: [string | null, string | null]): [string | undefined, string | undefined] {
  const [from, to] = value;
  return [from ? dayjs(from).startOf("day").toISOString() : undefined, to ? dayjs(to).endOf("day").toISOString() : undefined];
}
const dayOf = (iso: string | undefined) => (iso ? dayjs(iso).format("YYYY-MM-DD") : null);

/** The text search: typed freely, applied on Enter or after a pause, so each key is not a request. */
function SearchField({ value, onChange }: { value: string | undefined; onChange: (q: string | undefined) => void }) {
  const [text, setText] = useState(value ?? "");
  useEffect(() => {
    setText(value ?? "");
  }, [value]);
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === (value ?? "")) return;
    const timer = setTimeout(() => onChange(trimmed || undefined), 400);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  return (
    <TextInput
      type="search"
      aria-label={t("inbox.filter.q")}
      placeholder={t("inbox.filter.qPlaceholder")}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") onChange(text.trim() || undefined);
      }}
      w={{ base: "100%", sm: 240 }}
    />
  );
}

/** The filter bar: text, status, priority, level, team, channel, category, tags, overdue, dates (in a popover) and the sort. */
export function InboxFilters({ search, onChange }: { search: InboxSearch; onChange: (change: Change) => void }) {
  const levels = useQuery(levelsQuery());
  const teams = useQuery(teamsQuery());
  const [category, setCategory] = useState(search.category ?? "");
  useEffect(() => {
    setCategory(search.category ?? "");
  }, [search.category]);
  const count = activeFilterCount(search);
  // On a phone the filters fold away behind one button, so the list is what the screen shows first.
  const narrow = useMediaQuery("(max-width: 48em)") ?? false;
  const [moreOpen, { toggle: toggleMore }] = useDisclosure(false);
  const dates = [search.createdFrom, search.createdTo, search.updatedFrom, search.updatedTo].filter(Boolean).length;
  const sort = search.sort ?? (search.view === "at-risk" ? "due" : "created");
  const dir = search.dir ?? (sort === "due" ? "asc" : "desc");
  const w = { base: "calc(50% - var(--mantine-spacing-xs))", sm: 150 };

  return (
    <Stack gap="xs" role="search" aria-label={t("inbox.filters")}>
      {narrow && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <SearchField value={search.q} onChange={(q) => onChange({ q })} />
          <Button variant="default" onClick={toggleMore} aria-expanded={moreOpen} aria-controls="inbox-more-filters">
            {t(moreOpen ? "inbox.filter.fewer" : "inbox.filter.more", { count })}
          </Button>
        </Group>
      )}
      <Group gap="xs" align="flex-end" wrap="wrap" id="inbox-more-filters" display={narrow && !moreOpen ? "none" : undefined}>
        {!narrow && <SearchField value={search.q} onChange={(q) => onChange({ q })} />}
        <Select
          aria-label={t("inbox.filter.status")}
          placeholder={t("inbox.filter.anyStatus")}
          data={TICKET_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          value={search.status ?? null}
          onChange={(v) => onChange({ status: (v ?? undefined) as InboxSearch["status"] })}
          clearable
          w={w}
        />
        <Select
          aria-label={t("inbox.filter.priority")}
          placeholder={t("inbox.filter.anyPriority")}
          data={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
          value={search.priority ?? null}
          onChange={(v) => onChange({ priority: (v ?? undefined) as InboxSearch["priority"] })}
          clearable
          w={w}
        />
        <Select
          aria-label={t("inbox.filter.level")}
          placeholder={t("inbox.filter.anyLevel")}
          data={(levels.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
          value={search.levelId ?? null}
          onChange={(v) => onChange({ levelId: v ?? undefined })}
          clearable
          w={w}
        />
        <Select
          aria-label={t("inbox.filter.team")}
          placeholder={t("inbox.filter.anyTeam")}
          data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
          value={search.teamId ?? null}
          onChange={(v) => onChange({ teamId: v ?? undefined })}
          clearable
          searchable
          w={w}
        />
        <Select
          aria-label={t("inbox.filter.channel")}
          placeholder={t("inbox.filter.anyChannel")}
          data={CHANNELS.map((c) => ({ value: c, label: t(`inbox.channel.${c}` as MessageKey) }))}
          value={search.channel ?? null}
          onChange={(v) => onChange({ channel: (v ?? undefined) as InboxSearch["channel"] })}
          clearable
          w={w}
        />
        <TextInput
          aria-label={t("inbox.filter.category")}
          placeholder={t("inbox.filter.category")}
          value={category}
          onChange={(e) => setCategory(e.currentTarget.value)}
          onBlur={() => category.trim() !== (search.category ?? "") && onChange({ category: category.trim() || undefined })}
          onKeyDown={(e) => e.key === "Enter" && onChange({ category: category.trim() || undefined })}
          w={w}
        />
        <TagsInput
          aria-label={t("inbox.filter.tags")}
          placeholder={search.tag?.length ? undefined : t("inbox.filter.tags")}
          value={search.tag ?? []}
          onChange={(tags) => onChange({ tag: tags.length > 0 ? tags : undefined })}
          maxTags={10}
          clearable
          w={{ base: "100%", sm: 200 }}
        />
      </Group>
      <Group gap="xs" wrap="wrap">
        <Switch
          label={t("inbox.filter.overdue")}
          checked={search.overdue === "true"}
          onChange={(e) => onChange({ overdue: e.currentTarget.checked ? "true" : undefined })}
        />
        <Popover position="bottom-start" shadow="md" trapFocus>
          <Popover.Target>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconCalendar size={14} aria-hidden />}
              rightSection={dates > 0 ? <Badge size="xs" circle>{dates}</Badge> : undefined}
            >
              {t("inbox.filter.dates")}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="sm" w={260}>
              <DatePickerInput
                type="range"
                label={t("inbox.filter.created")}
                placeholder={t("inbox.filter.pickRange")}
                value={[dayOf(search.createdFrom), dayOf(search.createdTo)]}
                onChange={(v) => {
                  const [createdFrom, createdTo] = rangeOf(v);
                  if ((createdFrom && createdTo) || (!createdFrom && !createdTo)) onChange({ createdFrom, createdTo });
                }}
                clearable
                allowSingleDateInRange
                popoverProps={{ withinPortal: false }}
              />
              <DatePickerInput
                type="range"
                label={t("inbox.filter.updated")}
                placeholder={t("inbox.filter.pickRange")}
                value={[dayOf(search.updatedFrom), dayOf(search.updatedTo)]}
                onChange={(v) => {
                  const [updatedFrom, updatedTo] = rangeOf(v);
                  if ((updatedFrom && updatedTo) || (!updatedFrom && !updatedTo)) onChange({ updatedFrom, updatedTo });
                }}
                clearable
                allowSingleDateInRange
                popoverProps={{ withinPortal: false }}
              />
            </Stack>
          </Popover.Dropdown>
        </Popover>
        <Group gap={4} wrap="nowrap">
          <Select
            aria-label={t("inbox.sort.label")}
            data={SORTS.map((s) => ({ value: s, label: t(SORT_LABELS[s]) }))}
            value={sort}
            onChange={(v) => v && onChange({ sort: v as InboxSearch["sort"], dir: undefined })}
            allowDeselect={false}
            size="xs"
            w={150}
          />
          <Tooltip label={t(dir === "asc" ? "inbox.sort.asc" : "inbox.sort.desc")}>
            <ActionIcon
              variant="default"
              aria-label={t(dir === "asc" ? "inbox.sort.asc" : "inbox.sort.desc")}
              onClick={() => onChange({ dir: dir === "asc" ? "desc" : "asc" })}
            >
              {dir === "asc" ? <IconSortAscending size={16} aria-hidden /> : <IconSortDescending size={16} aria-hidden />}
            </ActionIcon>
          </Tooltip>
        </Group>
        {count > 0 && (
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconX size={14} aria-hidden />}
            onClick={() =>
              onChange({
                status: undefined, priority: undefined, levelId: undefined, teamId: undefined, assigneeId: undefined, category: undefined, channel: undefined,
                tag: undefined, q: undefined, overdue: undefined, createdFrom: undefined, createdTo: undefined, updatedFrom: undefined, updatedTo: undefined,
              })
            }
          >
            {t("inbox.filter.clear", { count })}
          </Button>
        )}
        {search.assigneeId && (
          <Text size="xs" c="dimmed">
            {t("inbox.filter.assigneeSet")}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
