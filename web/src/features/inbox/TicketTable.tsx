import { Anchor, Badge, Checkbox, Group, Stack, Table, Text } from "@mantine/core";
import { useInterval } from "@mantine/hooks";
import { Link } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import type { TicketListItem } from "../../api/inbox";
import { t, type MessageKey } from "../../i18n";
import { describeDue, formatAgo, type DueTone } from "./sla-due";

const PRIORITY_COLOR = { urgent: "red", high: "orange", normal: "blue", low: "gray" } as const;
const NOWRAP = { whiteSpace: "nowrap", width: "1%" } as const;
const DUE_COLOR: Record<DueTone, string> = { breached: "red.8", soon: "orange.9", later: "inherit" };

/** The clock the list's relative times read, ticking each half minute so "5 min left" stays true. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  const interval = useInterval(() => setNow(Date.now()), 30_000);
  useEffect(() => {
    interval.start();
    return interval.stop;
  }, [interval]);
  return now;
}

export const statusLabel = (s: TicketListItem["status"]) => t(`inbox.status.${s}` as MessageKey);
export const priorityLabel = (p: TicketListItem["priority"]) => t(`inbox.priority.${p}` as MessageKey);

function Due({ ticket, now }: { ticket: TicketListItem; now: number }) {
  if (!ticket.nextDueAt) return <Text size="sm" c="dimmed">{t("inbox.due.none")}</Text>;
  const due = describeDue(ticket.nextDueAt, now);
  return (
    <Stack gap={0} style={{ whiteSpace: "nowrap" }}>
      <Text size="sm">{due.due}</Text>
      <Text size="xs" c={DUE_COLOR[due.tone]} fw={due.tone === "later" ? undefined : 600}>
        {due.left}
      </Text>
    </Stack>
  );
}

/**
 * The tickets as a table named "Tickets": one row per ticket with a link `#<number> <subject>`. Narrow
 * screens keep the checkbox and the link cell, which then carries status, priority and due beneath.
 */
export function TicketTable({
  tickets,
  selected,
  checked,
  onCheck,
}: {
  tickets: TicketListItem[];
  selected: number | undefined;
  checked: Set<string>;
  onCheck: (ids: string[], on: boolean) => void;
}) {
  const now = useNow();
  const selectedRow = useRef<HTMLTableRowElement>(null);
  // In braces: Chrome's scrollIntoView now returns a promise, which React would take for a cleanup.
  useEffect(() => {
    void selectedRow.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  const allChecked = tickets.length > 0 && tickets.every((tk) => checked.has(tk.id));
  const someChecked = tickets.some((tk) => checked.has(tk.id));

  if (tickets.length === 0) {
    return (
      <Text c="dimmed" py="xl" ta="center">
        {t("inbox.empty")}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={0}>
      <Table aria-label={t("inbox.table")} highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <Checkbox
                aria-label={t("inbox.checkAll")}
                checked={allChecked}
                indeterminate={someChecked && !allChecked}
                onChange={(e) => onCheck(tickets.map((tk) => tk.id), e.currentTarget.checked)}
              />
            </Table.Th>
            <Table.Th>{t("inbox.col.ticket")}</Table.Th>
            <Table.Th visibleFrom="md">{t("inbox.col.customer")}</Table.Th>
            <Table.Th visibleFrom="sm" style={NOWRAP}>{t("inbox.col.status")}</Table.Th>
            <Table.Th visibleFrom="sm" style={NOWRAP}>{t("inbox.col.priority")}</Table.Th>
            <Table.Th visibleFrom="lg">{t("inbox.col.team")}</Table.Th>
            <Table.Th visibleFrom="sm" style={NOWRAP}>{t("inbox.col.due")}</Table.Th>
            <Table.Th visibleFrom="md" style={NOWRAP}>{t("inbox.col.updated")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((tk) => {
            const isSelected = tk.number === selected;
            return (
              <Table.Tr
                key={tk.id}
                ref={isSelected ? selectedRow : undefined}
                aria-current={isSelected ? "true" : undefined}
                bg={isSelected ? "var(--mantine-primary-color-light)" : checked.has(tk.id) ? "var(--mantine-color-default-hover)" : undefined}
                style={isSelected ? { boxShadow: "inset 3px 0 0 var(--mantine-primary-color-filled)" } : undefined}
              >
                <Table.Td>
                  <Checkbox aria-label={t("inbox.check", { number: tk.number })} checked={checked.has(tk.id)} onChange={(e) => onCheck([tk.id], e.currentTarget.checked)} />
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${tk.number}`} fw={500}>
                    #{tk.number} {tk.subject}
                  </Anchor>
                  <Text size="xs" c="dimmed" hiddenFrom="md">
                    {tk.customerName}
                  </Text>
                  <Group gap={6} mt={4} hiddenFrom="sm" wrap="wrap">
                    <Badge size="xs" variant="light" color="gray">{statusLabel(tk.status)}</Badge>
                    <Badge size="xs" variant="dot" color={PRIORITY_COLOR[tk.priority]}>{priorityLabel(tk.priority)}</Badge>
                    {tk.nextDueAt && <Text size="xs" c={DUE_COLOR[describeDue(tk.nextDueAt, now).tone]}>{describeDue(tk.nextDueAt, now).left}</Text>}
                  </Group>
                </Table.Td>
                <Table.Td visibleFrom="md">
                  <Text size="sm">{tk.customerName}</Text>
                </Table.Td>
                <Table.Td visibleFrom="sm" style={NOWRAP}>
                  <Badge variant="light" color="gray" style={{ minWidth: "max-content" }}>{statusLabel(tk.status)}</Badge>
                </Table.Td>
                <Table.Td visibleFrom="sm" style={NOWRAP}>
                  <Badge variant="dot" color={PRIORITY_COLOR[tk.priority]} style={{ minWidth: "max-content" }}>{priorityLabel(tk.priority)}</Badge>
                </Table.Td>
                <Table.Td visibleFrom="lg">
                  <Text size="sm">{tk.teamName}</Text>
                  <Text size="xs" c="dimmed">{tk.assigneeName ?? t("inbox.unassigned")}</Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Due ticket={tk} now={now} />
                </Table.Td>
                <Table.Td visibleFrom="md">
                  <Text size="sm" style={{ whiteSpace: "nowrap" }} title={new Date(tk.updatedAt).toLocaleString()}>{formatAgo(tk.updatedAt, now)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
