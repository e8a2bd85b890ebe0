import { Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";
import { t } from "../../i18n";
import { InboxLink, type InboxParams } from "./InboxLink";

/**
 * One tile of the board: a region named by its heading, its total, a link to the inbox list behind it, and
 * a note when the list is cut short (the server sends at most 50 rows with the total).
 */
export function Tile(props: { title: string; total?: number; shown?: number; inbox?: InboxParams; children: ReactNode; highlight?: boolean }) {
  const id = useId();
  const { title, total, shown, inbox, children, highlight } = props;
  return (
    <Paper component="section" aria-labelledby={id} withBorder p="md" radius="md" style={highlight ? { borderColor: "var(--mantine-color-red-8)", borderWidth: 2 } : undefined}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Title order={2} size="h4" id={id}>
              {title}
            </Title>
            {total !== undefined && (
              <Badge variant="filled" color="gray.8" aria-label={t("board.total", { count: total })}>
                {total}
              </Badge>
            )}
          </Group>
          {inbox && (
            <InboxLink params={inbox} size="sm">
              {t("board.openInInbox", { tile: title })}
            </InboxLink>
          )}
        </Group>
        {children}
        {total !== undefined && shown !== undefined && shown < total && (
          <Text size="sm" c="dimmed">
            {t("board.showing", { shown, total })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
