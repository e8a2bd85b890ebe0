import { Title } from "@mantine/core";

// Placeholder of the skeleton: the ticket slice replaces it.
export function TicketPage() {
  return <Title order={1} size="h3">TicketPage</Title>;
}
