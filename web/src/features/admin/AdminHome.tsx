import { Title } from "@mantine/core";

// Placeholder of the skeleton: the admin slice replaces it.
export function AdminHome() {
  return <Title order={1} size="h3">AdminHome</Title>;
}
