import { Title } from "@mantine/core";

// Placeholder of the skeleton: the escalation slice replaces it.
export function ApprovalsPage() {
  return <Title order={1} size="h3">ApprovalsPage</Title>;
}
