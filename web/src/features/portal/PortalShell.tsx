import { AppShell, Group, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { t } from "../../i18n";

/** The customer portal's frame: plainer than the staff app, no staff navigation. */
export function PortalShell({ children }: { children: ReactNode }) {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md">
          <Text fw={700} size="lg">
            {t("app.name")}
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main">{children}</AppShell.Main>
    </AppShell>
  );
}
