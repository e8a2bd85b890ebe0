import { Anchor, Card, Grid, Group, Paper, Stack, Text, Timeline, Title } from "@mantine/core";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import { portalAttachmentsQuery, portalEventsQuery, portalMessagesQuery, portalTicketQuery, type Attachment } from "../../api/portal";
import type { Message } from "../../api/types";
import { t } from "../../i18n";
import { EscalationRequestSection } from "./EscalationRequestSection";
import { plainTimeline, shortTime } from "./plain-status";
import { ReplyForm } from "./ReplyForm";
import { StatusBadge } from "./StatusBadge";
import { TicketLines } from "./TicketLines";

function Files({ files }: { files: Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <Group gap="xs" mt="xs" component="ul" aria-label={t("portal.ticket.files")} style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {files.map((f) => (
        <li key={f.id}>
          <Anchor href={f.url} size="sm" aria-label={t("portal.ticket.download", { name: f.filename })}>
            📎 {f.filename}
          </Anchor>
        </li>
      ))}
    </Group>
  );
}

function MessageCard({ author, at, body, files, mine }: { author: string; at: string; body: string; files: Attachment[]; mine: boolean }) {
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      // The customer's own messages are marked by a side bar, not a tinted background: links keep their contrast.
      style={mine ? { borderLeft: "4px solid var(--mantine-color-blue-filled)" } : undefined}
      component="article" aria-label={`${author}, ${shortTime(at)}`}>
      <Group justify="space-between" gap="xs" mb={4}>
        <Text fw={600} size="sm">
          {author}
        </Text>
        <Text size="xs" c="dimmed" component="time" dateTime={at}>
          {shortTime(at)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
        {body}
      </Text>
      <Files files={files} />
    </Paper>
  );
}

/** `/portal/tickets/:number`: the conversation (public messages only), what happened, reply, escalation. */
export function PortalTicketPage() {
  const { number } = useParams({ from: "/portal/tickets/$number" });
  const { data: ticket } = useSuspenseQuery(portalTicketQuery(number));
  const messages = useQuery(portalMessagesQuery(ticket.id));
  const events = useQuery(portalEventsQuery(ticket.id));
  const files = useQuery(portalAttachmentsQuery(ticket.id));
  const filesOf = (messageId: string | null) => (files.data ?? []).filter((f) => f.messageId === messageId);
  // The API already leaves internal notes out for customers; the page never shows one whatever it is sent.
  const conversation = (messages.data ?? []).filter((m: Message) => m.kind !== "internal");
  const timeline = plainTimeline(events.data ?? []);

  return (
    <Stack>
      <Anchor component={Link} to="/portal" size="sm">
        ← {t("portal.ticket.back")}
      </Anchor>
      <Stack gap={4}>
        <Title order={1} size="h2" style={{ overflowWrap: "anywhere" }}>
          #{ticket.number} {ticket.subject}
        </Title>
        <Group gap="sm">
          <StatusBadge status={ticket.status} />
        </Group>
        <TicketLines ticket={ticket} />
      </Stack>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, sm: 7 }}>
          <Stack component="section" aria-labelledby="portal-conversation">
            <Title order={2} size="h4" id="portal-conversation">
              {t("portal.ticket.conversation")}
            </Title>
            <MessageCard author={t("portal.ticket.you")} at={ticket.createdAt} body={ticket.description} files={filesOf(null)} mine />
            {conversation.map((m) => (
              <MessageCard
                key={m.id}
                author={m.kind === "customer" ? t("portal.ticket.you") : t("portal.ticket.support")}
                at={m.createdAt}
                body={m.body}
                files={filesOf(m.id)}
                mine={m.kind === "customer"}
              />
            ))}
            <ReplyForm ticket={ticket} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 5 }}>
          <Stack>
            <EscalationRequestSection ticket={ticket} />
            <Card withBorder component="section" aria-labelledby="portal-timeline">
              <Title order={2} size="h4" id="portal-timeline" mb="sm">
                {t("portal.ticket.timeline")}
              </Title>
              <Timeline bulletSize={12} lineWidth={2} active={timeline.length - 1}>
                {timeline.map((e) => (
                  <Timeline.Item key={e.id} title={<Text size="sm">{e.text}</Text>}>
                    <Text size="xs" c="dimmed" component="time" dateTime={e.at}>
                      {shortTime(e.at)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
