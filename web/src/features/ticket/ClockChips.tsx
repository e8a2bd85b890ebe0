import { Badge, Group, HoverCard, Stack, Text, Title } from "@mantine/core";
import { IconPlayerPause } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ticketClocksQuery, type SlaClock } from "../../api/tickets";
import type { Ticket } from "../../api/types";
import { t } from "../../i18n";
import { describeClock, pauseHistory, TONE_COLOR } from "./clock-chip";

/** The current time, ticking every `ms`, so chips count down without refetching. */
function useNow(ms = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** One clock as a chip: metric, due time, calendar and business time left; the pause history on hover. */
export function ClockChip({ clock, status, now }: { clock: SlaClock; status: Ticket["status"]; now: Date }) {
  const view = describeClock(clock, status, now);
  const history = pauseHistory(clock, now);
  return (
    <HoverCard openDelay={150} withinPortal shadow="md">
      <HoverCard.Target>
        <Badge
          color={TONE_COLOR[view.tone]}
          variant={view.tone === "breached" ? "filled" : "light"}
          size="lg"
          radius="sm"
          tt="none"
          fw={500}
          tabIndex={0}
          role="button"
          data-tone={view.tone}
          leftSection={view.pause ? <IconPlayerPause size={14} aria-hidden data-glyph="paused" /> : undefined}
          styles={{ root: { height: "auto", minHeight: 28, whiteSpace: "normal", paddingBlock: 4 }, label: { whiteSpace: "normal", overflow: "visible", textAlign: "left" } }}
        >
          {view.label}
        </Badge>
      </HoverCard.Target>
      <HoverCard.Dropdown>
        <Text fw={600} size="sm">
          {t("ticket.clock.pauseHistory")}
        </Text>
        {history.length === 0 ? (
          <Text size="sm">{t("ticket.clock.noPauses")}</Text>
        ) : (
          history.map((line) => (
            <Text size="sm" key={line}>
              {line}
            </Text>
          ))
        )}
      </HoverCard.Dropdown>
    </HoverCard>
  );
}

/** The ticket's SLA clocks (the region other screens and tests find by its name). */
export function ClockChips({ ticket }: { ticket: Ticket }) {
  const clocks = useQuery(ticketClocksQuery(ticket.id));
  const now = useNow();
  const live = (clocks.data ?? []).filter((c) => c.state !== "cancelled");
  return (
    <section aria-label={t("ticket.clocks")}>
      <Stack gap={6}>
        <Title order={2} size="h5">
          {t("ticket.clocks")}
        </Title>
        {clocks.isSuccess && live.length === 0 && (
          <Text size="sm" c="dimmed">
            {t("ticket.clocks.none")}
          </Text>
        )}
        <Group gap={6}>
          {live.map((c) => (
            <ClockChip key={c.id} clock={c} status={ticket.status} now={now} />
          ))}
        </Group>
      </Stack>
    </section>
  );
}
