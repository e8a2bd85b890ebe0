import { Title } from "@mantine/core";

// Placeholder of the skeleton: the portal slice replaces it.
export function PortalNewTicket() {
  return <Title order={1} size="h3">PortalNewTicket</Title>;
}
