import type { QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { API } from "../api/client";

/** One timeline event as the stream sends it: the item of GET /tickets/{id}/events plus the ticket's number. */
export type LiveEvent = {
  id: string;
  type: string;
  ticketId: string;
  ticketNumber?: number;
  occurredAt?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
};

type Listener = (event: LiveEvent) => void;

/** At most one board refetch per this many milliseconds, however many events arrive. */
export const BOARD_COALESCE_MS = 250;

// The types the stream sends; EventSource needs one listener per `event:` name.
const EVENT_TYPES = [
  "ticket.created", "ticket.updated", "ticket.assigned", "ticket.not_assigned", "ticket.status_changed", "ticket.reopened",
  "ticket.routed", "ticket.escalated", "ticket.taken_over", "ticket.handed_back",
  "message.public", "message.internal", "message.customer", "message.received",
  "escalation.created", "escalation.acknowledged", "escalation.de_escalated", "escalation.closed",
  "escalation_request.created", "escalation_request.accepted", "escalation_request.declined",
  "sla.clock_started", "sla.warning", "sla.breached", "sla.met", "sla.cancelled", "sla.reapplied", "sla.rematched",
  "sla.escalation_skipped", "sla.stopped_after_breach",
  "approval.requested", "approval.approved", "approval.denied", "approval.escalated", "approval.unanswered", "resolution.applied",
  "chat.verification_requested", "chat.verified", "presence.changed",
];

/**
 * The tab's one connection to `GET /api/v1/stream`. It invalidates the cached queries an event changes
 * (so every open screen refetches what it shows) and passes each event to the listeners that screens
 * register with `useLiveEvents`. Components never open streams of their own. The browser reconnects by
 * itself and sends Last-Event-ID; after `resync` (too much missed) every query is refetched.
 */
export class LiveStream {
  private source: EventSource | undefined;
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<(open: boolean) => void>();
  open = false;

  constructor(private readonly queryClient: QueryClient) {}

  start(): void {
    if (this.source) return;
    const source = new EventSource(`${API}/stream`, { withCredentials: true });
    this.source = source;
    source.onopen = () => this.setOpen(true);
    source.onerror = () => this.setOpen(false);
    const handle = (type: string) => (msg: MessageEvent<string>) => {
      let event: LiveEvent;
      try {
        event = { ...(JSON.parse(msg.data) as LiveEvent), type };
      } catch {
        return;
      }
      this.invalidateFor(event);
      for (const l of this.listeners) l(event);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, handle(type) as EventListener);
    source.addEventListener("resync", () => void this.queryClient.invalidateQueries());
  }

  stop(): void {
    this.source?.close();
    this.source = undefined;
    this.setOpen(false);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (open: boolean) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setOpen(open: boolean) {
    if (this.open === open) return;
    this.open = open;
    for (const l of this.statusListeners) l(open);
  }

  private boardTimer: ReturnType<typeof setTimeout> | undefined;
  private boardAgain = false;

  /**
   * The board sums up everything, so every event touches it; a burst (a mass breach, an import) would
   * refetch it once per event. The first event refetches at once (a breach shows within a second), then
   * further ones within BOARD_COALESCE_MS make one more refetch at the end of that window.
   */
  private invalidateBoard(): void {
    if (this.boardTimer) {
      this.boardAgain = true;
      return;
    }
    void this.queryClient.invalidateQueries({ queryKey: ["board"] });
    this.boardTimer = setTimeout(() => {
      this.boardTimer = undefined;
      if (this.boardAgain) {
        this.boardAgain = false;
        this.invalidateBoard();
      }
    }, BOARD_COALESCE_MS);
  }

  /** What an event changes: the ticket itself, its sub-resources, the lists and the board. */
  private invalidateFor(event: LiveEvent): void {
    if (event.type === "presence.changed") return;
    const qc = this.queryClient;
    if (event.ticketNumber !== undefined) void qc.invalidateQueries({ queryKey: ["tickets", event.ticketNumber] });
    if (event.ticketId) void qc.invalidateQueries({ queryKey: ["ticket", event.ticketId] });
    void qc.invalidateQueries({ queryKey: ["tickets", "list"] });
    void qc.invalidateQueries({ queryKey: ["inbox"] });
    this.invalidateBoard();
    if (event.type.startsWith("escalation_request")) void qc.invalidateQueries({ queryKey: ["escalation-requests"] });
    if (event.type.startsWith("resolution") || event.type.startsWith("approval")) void qc.invalidateQueries({ queryKey: ["approvals"] });
  }
}

let current: LiveStream | undefined;

/** Starts the tab's stream (once), for a signed-in person. */
export function startLiveStream(queryClient: QueryClient): LiveStream {
  current ??= new LiveStream(queryClient);
  current.start();
  return current;
}

export function stopLiveStream(): void {
  current?.stop();
}

/** Calls `handler` with every live event (of the given types, if any) while the component is mounted. */
export function useLiveEvents(handler: Listener, types?: readonly string[]): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = types?.join(",") ?? "";
  useEffect(() => {
    if (!current) return;
    const wanted = key ? new Set(key.split(",")) : undefined;
    return current.subscribe((e) => {
      if (!wanted || wanted.has(e.type)) ref.current(e);
    });
  }, [key]);
}
