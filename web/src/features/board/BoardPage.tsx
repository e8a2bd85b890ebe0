import { Title } from "@mantine/core";

// Placeholder of the skeleton: the board slice replaces it.
export function BoardPage() {
  return <Title order={1} size="h3">BoardPage</Title>;
}
