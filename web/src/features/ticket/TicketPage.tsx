import { Grid, Stack } from "@mantine/core";
import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { sessionQuery } from "../../api/session";
import { staffDirectoryQuery, ticketCustomerQuery, ticketEventsQuery, ticketQuery } from "../../api/tickets";
import { t } from "../../i18n";
import { useShortcuts } from "../../ui/shortcuts";
import { EscalationPanel } from "../escalation/EscalationPanel";
import { EscalationRequestsPanel } from "../escalation/EscalationRequestsPanel";
import { ResolutionsPanel } from "../escalation/ResolutionsPanel";
import { ClockChips } from "./ClockChips";
import { Composer, type ComposerHandle } from "./Composer";
import { Conversation } from "./Conversation";
import { CustomerPanel } from "./CustomerPanel";
import { TicketHeader } from "./TicketHeader";
import { Timeline } from "./Timeline";
import type { Names } from "./timeline-text";
import { usePresence } from "./usePresence";

/**
 * The agent's ticket page: header with the editable fields, the conversation and composer, the timeline,
 * and a side column (below on a phone) with the SLA clocks, the escalation panels and the customer.
 */
export function TicketPage({ number }: { number: number }) {
  const { data: ticket } = useSuspenseQuery(ticketQuery(number));
  const { data: user } = useSuspenseQuery(sessionQuery());
  const events = useQuery(ticketEventsQuery(ticket.id));
  const directory = useQuery(staffDirectoryQuery());
  const summary = useQuery(ticketCustomerQuery(ticket.customerId));
  const { others, typing } = usePresence(ticket.id, user?.kind === "agent" ? user.id : undefined);
  const composer = useRef<ComposerHandle>(null);

  // The version the agent opened: the newest event of the first timeline they saw, until they review more.
  const [reviewed, setReviewed] = useState<{ ticketId: string; version: number } | null>(null);
  const firstSeen = events.data?.at(-1)?.id;
  if (reviewed === null && firstSeen !== undefined) setReviewed({ ticketId: ticket.id, version: firstSeen });
  if (reviewed !== null && reviewed.ticketId !== ticket.id) setReviewed(null);
  const seenVersion = reviewed?.ticketId === ticket.id ? reviewed.version : undefined;

  const names: Names = useMemo(
    () => ({
      agents: new Map((directory.data?.agents ?? []).map((a) => [a.id, a.name])),
      teams: new Map((directory.data?.teams ?? []).map((tm) => [tm.id, tm.name])),
      customerName: summary.data?.customer.name,
    }),
    [directory.data, summary.data],
  );

  useShortcuts([
    { keys: "r", label: "ticket.shortcut.reply", run: () => composer.current?.focus("public") },
    { keys: "n", label: "ticket.shortcut.note", run: () => composer.current?.focus("internal") },
  ]);

  return (
    <>
      <TicketHeader ticket={ticket} others={others} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Conversation ticket={ticket} names={names} />
          <Composer
            ref={composer}
            ticket={ticket}
            names={names}
            seenVersion={seenVersion}
            onReviewed={(version) => setReviewed({ ticketId: ticket.id, version })}
            onTyping={typing}
          />
          <Timeline events={events.data ?? []} names={names} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md" component="aside" aria-label={t("ticket.side")}>
            <ClockChips ticket={ticket} />
            <EscalationPanel ticket={ticket} />
            <ResolutionsPanel ticket={ticket} />
            <EscalationRequestsPanel ticket={ticket} />
            <CustomerPanel ticket={ticket} summary={summary.data} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
