import { Badge, Group, Select, SimpleGrid, Stack, TagsInput, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { staffDirectoryQuery, updateTicket, type Presence, type TicketPatch } from "../../api/tickets";
import type { Ticket } from "../../api/types";
import { t } from "../../i18n";
import { PresenceAvatars } from "./PresenceAvatars";

const STATUSES: Ticket["status"][] = ["new", "open", "pending", "on_hold", "resolved", "closed"];
const PRIORITIES: Ticket["priority"][] = ["low", "normal", "high", "urgent"];
const UNASSIGNED = "";

/**
 * The ticket's heading and its editable fields. Each change is one PATCH; a refused one (no permission, an
 * assignee outside the team) is announced by the app's one problem handler and the control shows the
 * server's value again.
 */
export function TicketHeader({ ticket, others }: { ticket: Ticket; others: Presence[] }) {
  const queryClient = useQueryClient();
  const directory = useQuery(staffDirectoryQuery());
  const change = useMutation({ mutationFn: (patch: TicketPatch) => updateTicket(queryClient, ticket, patch) });
  const teamName = directory.data?.teams.find((tm) => tm.id === ticket.teamId)?.name ?? "…";
  const members = (directory.data?.agents ?? []).filter((a) => a.active && (a.teamIds.includes(ticket.teamId) || a.id === ticket.assigneeId));
  const assignees = [{ value: UNASSIGNED, label: t("ticket.assignee.none") }, ...members.map((a) => ({ value: a.id, label: a.name }))];

  return (
    <Stack gap="sm" mb="md">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Title order={1} size="h3" style={{ overflowWrap: "anywhere" }}>
          {t("ticket.heading", { number: ticket.number, subject: ticket.subject })}
        </Title>
        <PresenceAvatars others={others} />
      </Group>
      <Group gap="xs">
        <Badge variant="light" color="gray">
          {t("ticket.field.channel")}: {ticket.channel}
        </Badge>
        {ticket.category && (
          <Badge variant="light" color="gray">
            {t("ticket.field.category")}: {ticket.category}
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" role="group" aria-label={t("ticket.details")}>
        <Select
          label={t("ticket.field.status")}
          data={STATUSES.map((s) => ({ value: s, label: t(`ticket.status.${s}`) }))}
          value={ticket.status}
          allowDeselect={false}
          onChange={(v) => v && v !== ticket.status && change.mutate({ status: v as Ticket["status"] })}
        />
        <Select
          label={t("ticket.field.priority")}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`ticket.priority.${p}`) }))}
          value={ticket.priority}
          allowDeselect={false}
          onChange={(v) => v && v !== ticket.priority && change.mutate({ priority: v as Ticket["priority"] })}
        />
        <Select
          label={t("ticket.field.assignee")}
          data={assignees}
          value={ticket.assigneeId ?? UNASSIGNED}
          allowDeselect={false}
          searchable
          onChange={(v) => {
            const next = v === UNASSIGNED || v === null ? null : v;
            if (next !== ticket.assigneeId) change.mutate({ assigneeId: next });
          }}
        />
        <Stack gap={2}>
          <Text size="sm" fw={500} component="span" id="ticket-team-label">
            {t("ticket.field.team")}
          </Text>
          <Text size="sm" aria-labelledby="ticket-team-label" py={6}>
            {teamName}
          </Text>
        </Stack>
      </SimpleGrid>
      <TagsInput
        label={t("ticket.field.tags")}
        placeholder={t("ticket.tags.placeholder")}
        value={ticket.tags}
        onChange={(tags) => change.mutate({ tags })}
        clearable={false}
      />
    </Stack>
  );
}
