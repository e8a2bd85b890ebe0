import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { leaveTicket, sendPresence, ticketPresenceQuery, type Presence, type PresenceState } from "../../api/tickets";
import { useLiveEvents } from "../../live/stream";

/** How often the heartbeat goes out; the server lets a presence lapse after 30 s. */
const HEARTBEAT_MS = 10_000;
/** After this long without a keystroke, typing turns back into viewing. */
const TYPING_IDLE_MS = 4_000;

/**
 * This agent's presence on the ticket (a heartbeat while the page is open, `typing` while they write) and
 * the other agents on it, kept current from the stream's `presence.changed` events.
 */
export function usePresence(ticketId: string, myId: string | undefined): { others: Presence[]; typing: () => void } {
  const queryClient = useQueryClient();
  const query = useQuery(ticketPresenceQuery(ticketId));
  const state = useRef<PresenceState>("viewing");
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const send = useCallback(
    (next: PresenceState) => {
      state.current = next;
      sendPresence(ticketId, next)
        .then((list) => queryClient.setQueryData(ticketPresenceQuery(ticketId).queryKey, list.data))
        .catch(() => undefined); // presence is a courtesy: a missed heartbeat is repaired by the next
    },
    [ticketId, queryClient],
  );

  useEffect(() => {
    send("viewing");
    const timer = setInterval(() => send(state.current), HEARTBEAT_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(idle.current);
      void leaveTicket(ticketId).catch(() => undefined);
    };
  }, [ticketId, send]);

  useLiveEvents(
    (event) => {
      if (event.ticketId !== ticketId || !Array.isArray(event.viewers)) return;
      queryClient.setQueryData(ticketPresenceQuery(ticketId).queryKey, event.viewers as Presence[]);
    },
    ["presence.changed"],
  );

  const typing = useCallback(() => {
    if (state.current !== "typing") send("typing");
    clearTimeout(idle.current);
    idle.current = setTimeout(() => send("viewing"), TYPING_IDLE_MS);
  }, [send]);

  const others = (query.data ?? []).filter((p) => p.agentId !== myId && new Date(p.expiresAt).getTime() > Date.now() - 5_000);
  return { others, typing };
}
