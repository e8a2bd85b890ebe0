import { Title } from "@mantine/core";

// Placeholder of the skeleton: the portal slice replaces it.
export function PortalTicketPage() {
  return <Title order={1} size="h3">PortalTicketPage</Title>;
}
