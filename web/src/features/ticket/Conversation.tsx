import { Anchor, Badge, Box, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import dayjs from "dayjs";
import { ticketAttachmentsQuery, ticketMessagesQuery, type Attachment } from "../../api/tickets";
import type { Message, Ticket } from "../../api/types";
import { t } from "../../i18n";
import type { Names } from "./timeline-text";

/** A file size in words: "812 B", "14 KB", "2.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return t("ticket.size.bytes", { n: bytes });
  if (bytes < 1024 * 1024) return t("ticket.size.kb", { n: Math.round(bytes / 1024) });
  return t("ticket.size.mb", { n: (bytes / (1024 * 1024)).toFixed(1) });
}

function Attachments({ files }: { files: Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <Group gap="xs" mt="xs" role="list" aria-label={t("ticket.attachments")}>
      {files.map((f) => (
        <Anchor role="listitem" key={f.id} href={f.url} download={f.filename} size="sm" aria-label={t("ticket.attachment.download", { name: f.filename, size: formatSize(f.size) })}>
          📎 {f.filename} ({formatSize(f.size)})
        </Anchor>
      ))}
    </Group>
  );
}

/**
 * Mail HTML as the server sanitised it when the mail came in (src/channels/email/inbound/sanitize-mail-html.ts):
 * only that HTML is ever set as markup, inside a box that keeps its layout from leaking into the page.
 */
function SanitisedHtml({ html }: { html: string }) {
  return (
    <Box
      className="mail-html"
      aria-label={t("ticket.message.htmlLabel")}
      role="document"
      style={{ contain: "content", overflowX: "auto", maxWidth: "100%", overflowWrap: "anywhere" }}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

type Entry = { id: string; kind: Message["kind"] | "description"; body: string; html: string | null; author: string; at: string; files: Attachment[] };

const KIND_STYLE: Record<Entry["kind"], { label: Parameters<typeof t>[0]; color: string; bg?: string; border: string }> = {
  description: { label: "ticket.message.description", color: "gray", border: "var(--mantine-color-gray-4)" },
  customer: { label: "ticket.message.customer", color: "gray", border: "var(--mantine-color-gray-4)" },
  public: { label: "ticket.message.public", color: "blue", border: "var(--mantine-color-blue-6)" },
  internal: { label: "ticket.message.internal", color: "yellow", bg: "var(--mantine-color-yellow-light)", border: "var(--mantine-color-yellow-6)" },
};

/** The conversation: the request, then customer messages, replies and (yellow, labelled) internal notes, oldest first. */
export function Conversation({ ticket, names }: { ticket: Ticket; names: Names }) {
  const messages = useQuery(ticketMessagesQuery(ticket.id));
  const attachments = useQuery(ticketAttachmentsQuery(ticket.id));
  const files = attachments.data ?? [];
  const customer = names.customerName ?? t("ticket.timeline.customer");
  const entries: Entry[] = [
    { id: "description", kind: "description", body: ticket.description, html: ticket.descriptionHtml, author: customer, at: ticket.createdAt, files: files.filter((f) => f.messageId === null) },
    ...(messages.data ?? []).map((m) => ({
      id: m.id,
      kind: m.kind,
      body: m.body,
      html: m.bodyHtml,
      author: m.authorCustomerId ? customer : ((m.authorAgentId && names.agents.get(m.authorAgentId)) || t("ticket.message.someone")),
      at: m.createdAt,
      files: files.filter((f) => f.messageId === m.id),
    })),
  ];
  return (
    <section aria-labelledby="conversation-heading">
      <Title order={2} size="h4" id="conversation-heading" mb="sm">
        {t("ticket.conversation")}
      </Title>
      <Stack gap="sm">
        {entries.map((e) => {
          const style = KIND_STYLE[e.kind];
          return (
            <Card
              key={e.id}
              component="article"
              withBorder
              padding="sm"
              data-kind={e.kind}
              aria-label={`${t(style.label)}: ${e.author}`}
              style={{ borderLeft: `4px solid ${style.border}`, ...(style.bg ? { background: style.bg } : {}) }}
            >
              <Group justify="space-between" gap="xs" mb={4} wrap="wrap">
                <Badge color={style.color} variant={e.kind === "internal" ? "filled" : "light"} autoContrast>
                  {t(style.label)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t("ticket.message.by", { author: e.author, when: dayjs(e.at).format("ddd D MMM HH:mm") })}
                </Text>
              </Group>
              {e.html ? (
                <SanitisedHtml html={e.html} />
              ) : (
                <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                  {e.body}
                </Text>
              )}
              <Attachments files={e.files} />
            </Card>
          );
        })}
      </Stack>
    </section>
  );
}
