import { Alert, Badge, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { useParams } from "@tanstack/react-router";
import { apiFetch } from "../../api/client";
import { describeProblem } from "../../api/describe-problem";
import type { Ticket } from "../../api/types";
import { t } from "../../i18n";
import { EscalationPanel } from "../escalation/EscalationPanel";
import { EscalationRequestsPanel } from "../escalation/EscalationRequestsPanel";
import { ResolutionsPanel } from "../escalation/ResolutionsPanel";

// The escalation slice's stand-in for the ticket page: the ticket slice's page replaces this file at the
// merge. It shows the heading and mounts the escalation panels, which depend on nothing but `ticket`.
const ticketByNumber = (number: number) =>
  queryOptions({ queryKey: ["tickets", number] as const, queryFn: () => apiFetch<Ticket>("GET", `/tickets/by-number/${number}`) });

export function TicketPage() {
  const { number } = useParams({ from: "/_staff/tickets/$number" });
  const { data: ticket, error } = useQuery(ticketByNumber(Number(number)));
  if (error) return <Alert color="red">{describeProblem(error).message}</Alert>;
  if (!ticket) return <Text>{t("app.loading")}</Text>;
  return (
    <Stack gap="md">
      <Title order={1} size="h3">
        #{ticket.number} {ticket.subject}
      </Title>
      <Group gap="xs">
        <Badge variant="light">{ticket.status}</Badge>
        <Badge variant="light" color="gray">
          {ticket.priority}
        </Badge>
      </Group>
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
        {ticket.description}
      </Text>
      <EscalationRequestsPanel ticket={ticket} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <EscalationPanel ticket={ticket} />
        <ResolutionsPanel ticket={ticket} />
      </SimpleGrid>
    </Stack>
  );
}
