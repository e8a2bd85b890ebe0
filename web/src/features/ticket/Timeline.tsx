import { Text, Timeline as MantineTimeline, Title } from "@mantine/core";
import dayjs from "dayjs";
import type { TicketEvent } from "../../api/types";
import { t } from "../../i18n";
import { eventSentence, type Names } from "./timeline-text";

/** The ticket's history from its events, one sentence each, newest last (kept live by the stream). */
export function Timeline({ events, names }: { events: TicketEvent[]; names: Names }) {
  return (
    <section aria-labelledby="timeline-heading">
      <Title order={2} size="h4" id="timeline-heading" mt="lg" mb="sm">
        {t("ticket.timeline")}
      </Title>
      {events.length === 0 ? (
        <Text c="dimmed">{t("ticket.timeline.empty")}</Text>
      ) : (
        <MantineTimeline bulletSize={12} lineWidth={2} active={events.length - 1} component="ol" aria-label={t("ticket.timeline")} style={{ listStyle: "none", paddingInlineStart: 0 }}>
          {events.map((e) => (
            <MantineTimeline.Item key={e.id} component="li" data-type={e.type} color={e.type.startsWith("sla.breached") ? "red" : e.visibility === "internal" ? "yellow" : undefined}>
              <Text size="sm">{eventSentence(e, names)}</Text>
              <Text size="xs" c="dimmed">
                <time dateTime={e.createdAt}>{dayjs(e.createdAt).format("ddd D MMM HH:mm")}</time>
              </Text>
            </MantineTimeline.Item>
          ))}
        </MantineTimeline>
      )}
    </section>
  );
}
