import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import type { CustomerSummary } from "../../api/tickets";
import type { Ticket } from "../../api/types";
import { locale, t } from "../../i18n";

const money = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });

/** Who the customer is: tier, account and its yearly value, and their other open tickets. */
export function CustomerPanel({ ticket, summary }: { ticket: Ticket; summary: CustomerSummary | undefined }) {
  if (!summary) return null;
  const { customer, account } = summary;
  const others = summary.openTickets.filter((o) => o.id !== ticket.id);
  return (
    <Card component="section" aria-labelledby="customer-heading" withBorder padding="sm">
      <Title order={2} size="h5" id="customer-heading" mb="xs">
        {t("ticket.customer")}
      </Title>
      <Stack gap={6}>
        <div>
          <Text fw={600}>{customer.name}</Text>
          <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
            {customer.email}
          </Text>
        </div>
        <Group gap="xs">
          <Text size="sm">{t("ticket.customer.tier")}:</Text>
          <Badge color={customer.tier === "vip" ? "grape" : customer.tier === "priority" ? "orange" : "gray"} variant="light">
            {t(`ticket.tier.${customer.tier}`)}
          </Badge>
        </Group>
        <Text size="sm">
          {t("ticket.customer.account")}: {account ? account.name : t("ticket.customer.noAccount")}
        </Text>
        {account && (
          <Text size="sm">
            {t("ticket.customer.value")}: {account.annualValue === null ? t("ticket.customer.valueNone") : t("ticket.customer.perYear", { value: money.format(account.annualValue) })}
          </Text>
        )}
        <Text size="sm" fw={600} mt={4}>
          {t("ticket.customer.openTickets", { count: others.length })}
        </Text>
        {others.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("ticket.customer.noOtherTickets")}
          </Text>
        ) : (
          <Stack gap={2} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {others.map((o) => (
              <li key={o.id}>
                <Anchor component={Link} to={`/tickets/${o.number}`} size="sm">
                  {t("ticket.customer.ticketLink", { number: o.number, subject: o.subject })}
                </Anchor>
              </li>
            ))}
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          {t("ticket.customer.allTickets", { count: summary.ticketCount })}
        </Text>
      </Stack>
    </Card>
  );
}
