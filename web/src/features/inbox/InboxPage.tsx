import { Anchor, Badge, Table, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { apiFetch } from "../../api/client";
import type { Page, Ticket } from "../../api/types";
import { t } from "../../i18n";

export function InboxPage() {
  const tickets = useQuery({ queryKey: ["tickets", "list", {}], queryFn: () => apiFetch<Page<Ticket>>("GET", "/tickets?limit=50") });
  return (
    <>
      <Title order={1} size="h3" mb="md">
        {t("nav.inbox")}
      </Title>
      <Table striped highlightOnHover>
        <Table.Tbody>
          {tickets.data?.data.map((tk) => (
            <Table.Tr key={tk.id}>
              <Table.Td>
                <Anchor component={Link} to={`/tickets/${tk.number}`}>
                  #{tk.number}
                </Anchor>
              </Table.Td>
              <Table.Td>{tk.subject}</Table.Td>
              <Table.Td>
                <Badge variant="light">{tk.status}</Badge>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
