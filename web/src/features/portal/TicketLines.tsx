import { Text } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { nextUpdateQuery, portalEventsQuery } from "../../api/portal";
import type { CustomerTicket } from "../../api/types";
import { holderLine, nextUpdateLine, plainStatus } from "./plain-status";

/** "With our Billing specialists since 10:42" and "Next update due by 14:00" for an open request. */
export function TicketLines({ ticket }: { ticket: CustomerTicket }) {
  // A solved request has no lines: its timeline and clocks are not fetched.
  const open = plainStatus(ticket.status) !== "solved";
  const events = useQuery({ ...portalEventsQuery(ticket.id), enabled: open });
  const next = useQuery({ ...nextUpdateQuery(ticket.id), enabled: open });
  const holder = holderLine(ticket, events.data ?? []);
  const update = nextUpdateLine(ticket, next.data);
  return (
    <>
      {holder && (
        <Text size="sm" c="dimmed">
          {holder}
        </Text>
      )}
      {update && (
        <Text size="sm" c={next.data?.overdue ? "red.8" : "dimmed"}>
          {update}
        </Text>
      )}
    </>
  );
}
