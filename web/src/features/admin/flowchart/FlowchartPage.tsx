import { Anchor, Box, Group, List, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useSuspenseQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useMemo, type MouseEvent } from "react";
import { policyPathsQuery } from "../../../api/policy";
import { t, type MessageKey } from "../../../i18n";
import { FlowchartCanvas, LINK_STYLE } from "./FlowchartCanvas";
import { layoutPaths, LINK_KINDS, type FlowLayout } from "./layout";

function Legend() {
  const boxes: { key: MessageKey; color: string; dashed?: boolean }[] = [
    { key: "policy.flow.legend.source", color: "teal" },
    { key: "policy.flow.legend.team", color: "indigo" },
    { key: "policy.flow.legend.relative", color: "grape", dashed: true },
  ];
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="flow-legend">
      <Text id="flow-legend" fw={700} size="sm" mb={6}>
        {t("policy.flow.legend")}
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing={6} verticalSpacing={4}>
        {LINK_KINDS.map((kind) => (
          <Group key={kind} gap={8} wrap="nowrap">
            <svg width="36" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="36" y2="5" stroke={LINK_STYLE[kind].color} strokeWidth="2" strokeDasharray={LINK_STYLE[kind].dash} />
            </svg>
            <Text size="xs">{t(`policy.flow.legend.${kind}` as MessageKey)}</Text>
          </Group>
        ))}
        {boxes.map((b) => (
          <Group key={b.key} gap={8} wrap="nowrap">
            <Box
              w={36}
              h={14}
              aria-hidden="true"
              style={{ border: `1px ${b.dashed ? "dashed" : "solid"} var(--mantine-color-default-border)`, borderLeft: `4px solid var(--mantine-color-${b.color}-7)`, borderRadius: 3 }}
            />
            <Text size="xs">{t(b.key)}</Text>
          </Group>
        ))}
      </SimpleGrid>
    </Paper>
  );
}

/** The same paths as the diagram, as text: for screen readers, and the view on a narrow screen. */
function PathsList({ layout }: { layout: FlowLayout }) {
  const navigate = useNavigate();
  const follow = (href: string) => (event: MouseEvent) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    void navigate({ href });
  };
  const name = new Map(layout.boxes.map((b) => [b.id, b.label]));
  const sources = layout.boxes.filter((b) => layout.links.some((l) => l.from === b.id));
  const levels = layout.lanes.filter((l) => l.id !== "lane:start" && l.id !== "lane:relative");
  return (
    <Stack component="section" aria-labelledby="flow-list" gap="sm">
      <Title order={2} size="h4" id="flow-list">
        {t("policy.flow.list")}
      </Title>
      {sources.map((source) => (
        <Box key={source.id}>
          <Title order={3} size="h6">
            {t("policy.flow.listFrom", { from: source.label })}
          </Title>
          <List spacing={4} size="sm">
            {layout.links
              .filter((l) => l.from === source.id)
              .map((link) => (
                <List.Item key={link.id}>
                  {link.href ? (
                    <Anchor href={link.href} onClick={follow(link.href)} size="sm">
                      {t("policy.flow.pathTo", { title: link.title, to: name.get(link.to) ?? link.to })}
                    </Anchor>
                  ) : (
                    t("policy.flow.pathTo", { title: link.title, to: name.get(link.to) ?? link.to })
                  )}
                  {link.timing && (
                    <Text size="xs" c="dimmed">
                      {link.timing}
                    </Text>
                  )}
                  {link.detail && (
                    <Text size="xs" c="dimmed">
                      {link.detail}
                    </Text>
                  )}
                </List.Item>
              ))}
          </List>
        </Box>
      ))}
      <Box>
        <Title order={3} size="h6">
          {t("policy.flow.levels")}
        </Title>
        <List spacing={4} size="sm">
          {levels.map((lane) => {
            const teams = layout.boxes.filter((b) => b.laneId === lane.id).map((b) => b.label);
            return <List.Item key={lane.id}>{t("policy.flow.levelTeams", { level: lane.title, teams: teams.length ? teams.join(", ") : t("policy.flow.noTeams") })}</List.Item>;
          })}
        </List>
      </Box>
    </Stack>
  );
}

/** `/admin/flowchart`: the escalation paths as a diagram (wide screens) and as a list (always). */
export function FlowchartPage() {
  const { data } = useSuspenseQuery(policyPathsQuery());
  const layout = useMemo(() => layoutPaths(data), [data]);
  // The diagram needs room; on a phone the list says the same.
  const wide = useMediaQuery("(min-width: 48em)", true, { getInitialValueInEffect: false });
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Box maw={760}>
          <Title order={1} size="h2">
            {t("policy.flow.title")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("policy.flow.intro")}
          </Text>
        </Box>
        <Anchor component={Link} to="/admin/policy" size="sm">
          {t("policy.flow.editPolicy")}
        </Anchor>
      </Group>
      {layout.links.length === 0 ? (
        <Text>{t("policy.flow.empty")}</Text>
      ) : (
        <>
          {wide && (
            <>
              <Box component="section" aria-label={t("policy.flow.diagram")}>
                <FlowchartCanvas layout={layout} />
              </Box>
              <Legend />
            </>
          )}
          <PathsList layout={layout} />
        </>
      )}
    </Stack>
  );
}
