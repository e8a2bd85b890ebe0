import { Badge, Box, Code, Group, List, Stack, Text, Title } from "@mantine/core";
import type { PolicyChange } from "../../../api/policy";
import { t, type MessageKey } from "../../../i18n";
import { changedLeaves } from "./diff";

const SECTIONS = ["levels", "teams", "calendars", "slaPolicies", "rules", "authorityLimits"] as const;
const OP_COLOR = { add: "green", change: "blue", remove: "red" } as const;

/** The changes of a dry run or an apply, by section: each entry added, changed (leaf by leaf) or removed. */
export function PolicyDiff({ changes, title }: { changes: PolicyChange[]; title: string }) {
  const count = (op: PolicyChange["op"]) => changes.filter((c) => c.op === op).length;
  return (
    <Stack component="section" aria-label={title} gap="xs">
      <Title order={2} size="h4">
        {title}
      </Title>
      {changes.length === 0 ? (
        <Text size="sm">{t("policy.diff.none")}</Text>
      ) : (
        <>
          <Text size="sm">{t("policy.diff.summary", { add: count("add"), change: count("change"), remove: count("remove") })}</Text>
          {SECTIONS.filter((s) => changes.some((c) => c.section === s)).map((section) => (
            <Box key={section}>
              <Title order={3} size="h6">
                {t(`policy.section.${section}` as MessageKey)}
              </Title>
              <List listStyleType="none" spacing={6} size="sm">
                {changes
                  .filter((c) => c.section === section)
                  .map((c) => (
                    <List.Item key={`${c.op}:${c.name}`}>
                      <Group gap={6} wrap="nowrap" align="baseline">
                        <Badge size="sm" variant="light" color={OP_COLOR[c.op]}>
                          {t(`policy.diff.op.${c.op}` as MessageKey)}
                        </Badge>
                        <Text size="sm" fw={600}>
                          {c.name}
                        </Text>
                      </Group>
                      {c.op === "change" && (
                        <List size="sm" spacing={2} ml="md" listStyleType="disc">
                          {changedLeaves(c).map((leaf) => (
                            <List.Item key={leaf.field} style={{ overflowWrap: "anywhere" }}>
                              <Code>{leaf.field}</Code>: {leaf.from} → {leaf.to}
                            </List.Item>
                          ))}
                        </List>
                      )}
                    </List.Item>
                  ))}
              </List>
            </Box>
          ))}
        </>
      )}
    </Stack>
  );
}
