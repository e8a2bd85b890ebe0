import { Card, SimpleGrid, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { t } from "../../i18n";
import { ADMIN_PAGES } from "./admin-pages";

/** The admin index: one card per admin page. */
export function AdminHome() {
  return (
    <>
      <Title order={1} size="h3" mb="md">
        {t("admin.home.title")}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {ADMIN_PAGES.map((p) => (
          <li key={p.path}>
            <Card withBorder padding="md" h="100%">
              <Text component={Link} to={p.path as "/admin"} fw={700} c="var(--mantine-primary-color-filled)" td="underline">
                {t(p.title)}
              </Text>
              <Text size="sm" c="dimmed" mt={4}>
                {t(p.summary)}
              </Text>
            </Card>
          </li>
        ))}
      </SimpleGrid>
    </>
  );
}
