import { Button, Group, Paper, Select, TagsInput, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { PRIORITIES, TICKET_STATUSES } from "../../../../src/domain/vocabulary";
import { agentsQuery, bulkUpdateTickets, type BulkChange, type TicketListItem } from "../../api/inbox";
import { t } from "../../i18n";
import { priorityLabel, statusLabel } from "./TicketTable";

const UNASSIGN = "__unassign__";

/**
 * Changes for the checked tickets: assign, status, priority, add tags. The server applies a change to
 * all of them or, when one is refused, to none (the problem names the ticket, shown as a notification).
 */
export function BulkBar({ tickets, onDone }: { tickets: TicketListItem[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const agents = useQuery(agentsQuery());
  const [tags, setTags] = useState<string[]>([]);
  const change = useMutation({
    mutationFn: (c: BulkChange) => bulkUpdateTickets(queryClient, tickets.map((tk) => tk.id), c),
    onSuccess: (done) => {
      notifications.show({ color: "green", message: t("inbox.bulk.done", { count: done.length }) });
      setTags([]);
      onDone();
    },
  });
  // Only agents of the checked tickets' teams can take them all; the server checks it again.
  const teamIds = new Set(tickets.map((tk) => tk.teamId));
  const assignable = (agents.data ?? []).filter((a) => a.active && [...teamIds].every((id) => a.teamIds.includes(id)));

  return (
    <Paper withBorder p="xs" role="region" aria-label={t("inbox.bulk.region")}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600} aria-live="polite">
          {t("inbox.bulk.selected", { count: tickets.length })}
        </Text>
        <Select
          aria-label={t("inbox.bulk.assign")}
          placeholder={t("inbox.bulk.assign")}
          data={[{ value: UNASSIGN, label: t("inbox.bulk.unassign") }, ...assignable.map((a) => ({ value: a.id, label: a.name }))]}
          value={null}
          onChange={(v) => v && change.mutate({ assigneeId: v === UNASSIGN ? null : v })}
          searchable
          disabled={change.isPending}
          size="xs"
          w={170}
        />
        <Select
          aria-label={t("inbox.bulk.status")}
          placeholder={t("inbox.bulk.status")}
          data={TICKET_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))}
          value={null}
          onChange={(v) => v && change.mutate({ status: v as BulkChange["status"] })}
          disabled={change.isPending}
          size="xs"
          w={150}
        />
        <Select
          aria-label={t("inbox.bulk.priority")}
          placeholder={t("inbox.bulk.priority")}
          data={PRIORITIES.map((p) => ({ value: p, label: priorityLabel(p) }))}
          value={null}
          onChange={(v) => v && change.mutate({ priority: v as BulkChange["priority"] })}
          disabled={change.isPending}
          size="xs"
          w={150}
        />
        <Group gap={4} wrap="nowrap">
          <TagsInput aria-label={t("inbox.bulk.tags")} placeholder={t("inbox.bulk.tags")} value={tags} onChange={setTags} size="xs" w={170} maxTags={30} />
          <Button size="xs" variant="light" disabled={tags.length === 0} loading={change.isPending} onClick={() => change.mutate({ addTags: tags })}>
            {t("inbox.bulk.addTags")}
          </Button>
        </Group>
        <Button size="xs" variant="subtle" onClick={onDone}>
          {t("inbox.bulk.clear")}
        </Button>
      </Group>
    </Paper>
  );
}
