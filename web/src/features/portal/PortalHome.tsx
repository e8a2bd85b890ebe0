import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { portalTicketsQuery } from "../../api/portal";
import { t } from "../../i18n";
import { shortTime } from "./plain-status";
import { StatusBadge } from "./StatusBadge";
import { TicketLines } from "./TicketLines";

/** `/portal`: the customer's requests, newest first, each with where it stands in plain words. */
export function PortalHome() {
  const { data: tickets } = useSuspenseQuery(portalTicketsQuery());
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t("portal.list.title")}
        </Title>
        <Button component={Link} to="/portal/new">
          {t("portal.list.newButton")}
        </Button>
      </Group>
      {tickets.length === 0 ? (
        <Text>{t("portal.list.empty")}</Text>
      ) : (
        <Table aria-label={t("portal.list.table")} verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("portal.list.request")}</Table.Th>
              <Table.Th>{t("portal.list.status")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tickets.map((ticket) => (
              <Table.Tr key={ticket.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Anchor renderRoot={(props) => <Link {...props} to="/portal/tickets/$number" params={{ number: ticket.number }} />} fw={600}>
                      #{ticket.number} {ticket.subject}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {t("portal.list.opened", { time: shortTime(ticket.createdAt) })}
                    </Text>
                    <TicketLines ticket={ticket} />
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={ticket.status} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
