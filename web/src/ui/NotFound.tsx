import { Anchor, Stack, Text, Title } from "@mantine/core";
import { Link } from "@tanstack/react-router";
import { t } from "../i18n";

export function NotFound() {
  return (
    <Stack p="lg" align="flex-start">
      <Title order={1} size="h3">404</Title>
      <Text>{t("app.notFound")}</Text>
      <Anchor component={Link} to="/">
        {t("app.backHome")}
      </Anchor>
    </Stack>
  );
}
