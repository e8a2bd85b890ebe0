import { Alert, Anchor, Badge, Box, Button, Group, Loader, Progress, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import dayjs from "dayjs";
import { useEffect, useMemo } from "react";
import { boardQuery, viewerTimeZone, type Board } from "../../api/board";
import { describeProblem } from "../../api/describe-problem";
import { ApiProblem } from "../../api/problem";
import { t, type MessageKey } from "../../i18n";
import { useShortcuts } from "../../ui/shortcuts";
import { InboxLink } from "./InboxLink";
import { Tile } from "./Tile";
import { formatAge, formatCountdown, serverNow } from "./time";
import { useNow } from "./useNow";

type Names = { team: (id: string) => string; level: (id: string) => string };

/** How long after a due time passes the board asks the server again, should the breach event not come. */
const AFTER_DUE_MS = 1500;

/** The live escalation board of leads, managers and admins. */
export function BoardPage() {
  const timeZone = useMemo(viewerTimeZone, []);
  const query = useQuery(boardQuery(timeZone));
  const { data, error, dataUpdatedAt, refetch } = query;
  useShortcuts([{ keys: "r", label: "board.shortcut.refresh", run: () => void refetch() }]);

  // Honest about passed due times: the server's breach (its event, or this re-read) moves a ticket to
  // "Breaches today"; the page only says the time is up meanwhile.
  const nextDue = data?.breachingSoon.items.map((i) => new Date(i.dueAt).getTime()).find((due) => due + AFTER_DUE_MS > serverNow(data.generatedAt, dataUpdatedAt, Date.now()));
  useEffect(() => {
    if (!data || nextDue === undefined) return;
    const wait = nextDue + AFTER_DUE_MS - serverNow(data.generatedAt, dataUpdatedAt, Date.now());
    const id = setTimeout(() => void refetch(), Math.max(0, wait));
    return () => clearTimeout(id);
  }, [data, dataUpdatedAt, nextDue, refetch]);

  if (error && !data) return <BoardProblem error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loader aria-label={t("app.loading")} m="xl" />;
  return <BoardView board={data} receivedAt={dataUpdatedAt} />;
}

function BoardProblem({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  if (error instanceof ApiProblem && error.status === 403) {
    return (
      <Stack maw={640} p="md">
        <Title order={1} size="h3">
          {t("board.title")}
        </Title>
        <Alert color="red" title={t("board.refused.title")} role="alert">
          {t("board.refused.body")}
        </Alert>
        <Anchor component={Link} to="/inbox">
          {t("board.refused.inbox")}
        </Anchor>
      </Stack>
    );
  }
  const { message } = describeProblem(error);
  return (
    <Stack maw={640} p="md">
      <Alert color="red" title={t("board.failed.title")} role="alert">
        {message}
      </Alert>
      <Button variant="light" w="fit-content" onClick={onRetry}>
        {t("app.retry")}
      </Button>
    </Stack>
  );
}

/** The tiles, drawn from one answer of GET /board; the clock ticks every second for ages and countdowns. */
export function BoardView({ board, receivedAt }: { board: Board; receivedAt: number }) {
  const clientNow = useNow(1000);
  const now = serverNow(board.generatedAt, receivedAt, clientNow);
  const names = useMemo<Names>(() => {
    const teams = new Map(board.teams.map((x) => [x.id, x.name]));
    const levels = new Map(board.levels.map((x) => [x.id, x.name]));
    return { team: (id) => teams.get(id) ?? "—", level: (id) => levels.get(id) ?? "—" };
  }, [board.teams, board.levels]);
  const scope = board.allTeams ? t("board.scope.all") : board.teams.length ? t("board.scope.teams", { teams: board.teams.map((x) => x.name).join(", ") }) : t("board.scope.none");

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline" wrap="wrap">
        <Title order={1} size="h2">
          {t("board.title")}
        </Title>
        <Text size="sm" c="dimmed">
          {scope} · {t("board.updated", { time: dayjs(receivedAt).format("HH:mm:ss") })}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="md" style={{ alignItems: "start" }}>
        <EscalationsTile board={board} names={names} now={now} />
        <BreachingSoonTile board={board} names={names} now={now} />
        <BreachesTodayTile board={board} names={names} />
        <QueuesTile board={board} names={names} />
        <AgentsTile board={board} names={names} />
      </SimpleGrid>
    </Stack>
  );
}

function TicketLink({ number, subject }: { number: number; subject: string }) {
  return (
    <Anchor fw={600} renderRoot={(props) => <Link {...props} to="/tickets/$number" params={{ number: String(number) }} />}>
      #{number} {subject}
    </Anchor>
  );
}

function Rows({ children }: { children: React.ReactNode }) {
  return (
    <Box component="ul" m={0} p={0} style={{ listStyle: "none", display: "flex", flexDirection: "column", gap: "var(--mantine-spacing-xs)" }}>
      {children}
    </Box>
  );
}

function Row({ children, alert }: { children: React.ReactNode; alert?: boolean }) {
  return (
    <Box
      component="li"
      p="xs"
      style={{
        borderRadius: "var(--mantine-radius-sm)",
        background: alert ? "var(--mantine-color-red-light)" : "var(--mantine-color-default-hover)",
        borderLeft: alert ? "4px solid var(--mantine-color-red-9)" : "4px solid transparent",
      }}
    >
      {children}
    </Box>
  );
}

function ByTeam({ rows, view, label, overdue }: { rows: { teamId: string; text: string }[]; view: "escalated" | "at-risk" | "all"; label: string; overdue?: true }) {
  if (rows.length === 0) return null;
  return (
    <Group gap="xs" wrap="wrap" aria-label={`${label}: ${t("board.byTeam")}`} role="group">
      {rows.map((r) => (
        <InboxLink key={r.teamId} params={{ view, teamId: r.teamId, ...(overdue ? { overdue } : {}) }} size="sm">
          {r.text}
        </InboxLink>
      ))}
    </Group>
  );
}

function EscalationsTile({ board, names, now }: { board: Board; names: Names; now: number }) {
  const e = board.escalations;
  const title = t("board.tile.escalations");
  return (
    <Tile title={title} total={e.total} shown={e.items.length} inbox={{ view: "escalated" }} highlight={e.unacknowledged > 0}>
      <Text size="sm">{t("board.escalations.summary", { open: e.total, unacknowledged: e.unacknowledged })}</Text>
      <ByTeam
        label={title}
        view="escalated"
        rows={e.byTeam.map((r) => ({ teamId: r.teamId, text: `${names.team(r.teamId)}: ${t("board.escalations.summary", { open: r.open, unacknowledged: r.unacknowledged })}` }))}
      />
      {e.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("board.escalations.empty")}
        </Text>
      ) : (
        <Rows>
          {e.items.map((item) => {
            const waiting = item.status === "open";
            return (
              <Row key={item.id} alert={waiting}>
                <TicketLink number={item.ticketNumber} subject={item.subject} />
                <Group gap="xs" mt={4} wrap="wrap">
                  {waiting ? (
                    <Badge variant="filled" color="red.9">
                      {t("board.escalations.unacknowledged", { age: formatAge(now - new Date(item.requestedAt).getTime()) })}
                    </Badge>
                  ) : (
                    <Badge variant="outline" color="gray.8">
                      {t("board.escalations.acknowledged")}
                    </Badge>
                  )}
                  <Text size="sm" c="dimmed">
                    {names.team(item.toTeamId)} · {t(`board.escalations.kind.${item.kind}` as MessageKey)} ·{" "}
                    {t("board.escalations.requested", { time: dayjs(item.requestedAt).format("ddd HH:mm") })}
                  </Text>
                </Group>
              </Row>
            );
          })}
        </Rows>
      )}
    </Tile>
  );
}

function BreachingSoonTile({ board, names, now }: { board: Board; names: Names; now: number }) {
  const s = board.breachingSoon;
  const title = t("board.tile.breachingSoon");
  return (
    <Tile title={title} total={s.total} shown={s.items.length} inbox={{ view: "at-risk" }}>
      <ByTeam label={title} view="at-risk" rows={s.byTeam.map((r) => ({ teamId: r.teamId, text: `${names.team(r.teamId)}: ${t("board.soon.count", { count: r.count })}` }))} />
      {s.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("board.soon.empty")}
        </Text>
      ) : (
        <Rows>
          {s.items.map((item) => {
            const left = new Date(item.dueAt).getTime() - now;
            return (
              <Row key={item.clockId} alert={left <= 0}>
                <TicketLink number={item.ticketNumber} subject={item.subject} />
                <Group gap="xs" mt={4} wrap="wrap">
                  <Badge variant="filled" color={left <= 0 ? "red.9" : left < 15 * 60_000 ? "#8f4a00" : "gray.8"} style={{ fontVariantNumeric: "tabular-nums" }}>
                    {left <= 0 ? t("board.soon.passed") : t("board.soon.countdown", { time: formatCountdown(left) })}
                  </Badge>
                  <Text size="sm" c="dimmed">
                    {t(`board.metric.${item.metric}` as MessageKey)} · {t("board.soon.due", { time: dayjs(item.dueAt).format("ddd HH:mm") })} · {names.team(item.teamId)}
                  </Text>
                </Group>
              </Row>
            );
          })}
        </Rows>
      )}
    </Tile>
  );
}

function BreachesTodayTile({ board, names }: { board: Board; names: Names }) {
  const b = board.breachesToday;
  const title = t("board.tile.breachesToday");
  return (
    <Tile title={title} total={b.total} shown={b.items.length} inbox={{ view: "all", overdue: true }}>
      <ByTeam label={title} view="all" overdue rows={b.byTeam.map((r) => ({ teamId: r.teamId, text: `${names.team(r.teamId)}: ${t("board.breaches.count", { count: r.count })}` }))} />
      {b.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("board.breaches.empty")}
        </Text>
      ) : (
        <Rows>
          {b.items.map((item) => (
            <Row key={item.clockId}>
              <TicketLink number={item.ticketNumber} subject={item.subject} />
              <Text size="sm" c="dimmed" mt={4}>
                {t(`board.metric.${item.metric}` as MessageKey)} · {t("board.breaches.at", { time: dayjs(item.breachedAt).format("HH:mm:ss") })} · {names.team(item.teamId)}
              </Text>
            </Row>
          ))}
        </Rows>
      )}
    </Tile>
  );
}

function QueuesTile({ board, names }: { board: Board; names: Names }) {
  const title = t("board.tile.queues");
  const open = board.queues.reduce((n, q) => n + q.open, 0);
  return (
    <Tile title={title} total={open} inbox={{ view: "all" }}>
      <Table.ScrollContainer minWidth={280} type="native">
      <Table aria-label={title} verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t("board.queues.team")}</Table.Th>
            <Table.Th scope="col" visibleFrom="sm">
              {t("board.queues.level")}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t("board.queues.open")}
            </Table.Th>
            <Table.Th scope="col" ta="right">
              {t("board.queues.unassigned")}
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {board.queues.map((q) => (
            <Table.Tr key={q.teamId}>
              <Table.Td>
                <InboxLink params={{ view: "all", teamId: q.teamId }}>{names.team(q.teamId)}</InboxLink>
              </Table.Td>
              <Table.Td visibleFrom="sm">{names.level(q.levelId)}</Table.Td>
              <Table.Td ta="right">{q.open}</Table.Td>
              <Table.Td ta="right" fw={q.unassigned > 0 ? 700 : undefined}>
                {q.unassigned}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      </Table.ScrollContainer>
    </Tile>
  );
}

const AVAILABILITY_COLOR = { online: "#1e6b34", away: "#8f4a00", offline: "gray.7" } as const;

function AgentsTile({ board, names }: { board: Board; names: Names }) {
  const a = board.agents;
  const title = t("board.tile.agents");
  return (
    <Tile title={title} total={a.total} shown={a.items.length} inbox={{ view: "team" }}>
      {a.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("board.agents.empty")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={280} type="native">
        <Table aria-label={title} verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("board.agents.name")}</Table.Th>
              <Table.Th scope="col">{t("board.agents.availability")}</Table.Th>
              <Table.Th scope="col">{t("board.agents.load")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {a.items.map((agent) => {
              const share = agent.capacity > 0 ? agent.assigned / agent.capacity : 1;
              return (
                <Table.Tr key={agent.id}>
                  <Table.Td>
                    <InboxLink params={{ view: "all", assigneeId: agent.id }}>{agent.name}</InboxLink>
                    <Text size="xs" c="dimmed">
                      {agent.teamIds.map(names.team).filter((n) => n !== "—").join(", ")}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="filled" color={AVAILABILITY_COLOR[agent.availability]}>
                      {t(`board.agents.${agent.availability}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td miw={90}>
                    <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                      {t("board.agents.loadValue", { assigned: agent.assigned, capacity: agent.capacity })}
                      {share > 1 ? ` · ${t("board.agents.over")}` : ""}
                    </Text>
                    <Progress
                      value={Math.min(100, share * 100)}
                      color={share >= 1 ? "red.9" : share >= 0.8 ? "#8f4a00" : "indigo.7"}
                      size="sm"
                      aria-label={t("board.agents.loadLabel", { name: agent.name, assigned: agent.assigned, capacity: agent.capacity })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
      )}
    </Tile>
  );
}
