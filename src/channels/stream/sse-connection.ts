import type { FastifyReply } from "fastify";
import type { Db } from "../../db/store.js";
import type { Principal } from "../../domain/principal.js";
import type { EventHub, StreamSubscriber } from "./event-hub.js";
import { presentStreamEvent, visibleEventsAfter, type StreamEvent } from "./stream-event.js";

/** The most missed events a reconnecting client is sent; with more missed it gets the newest ones after a `resync`. */
export const REPLAY_LIMIT = 1_000;
/** How long a browser waits before reconnecting (the SSE `retry:` field). */
const RETRY_MS = 3_000;
/** A client this far behind (bytes queued in the socket) is cut off; it reconnects and replays what it missed. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export type EventStreamOptions = {
  hub: EventHub;
  db: Db;
  principal: Principal;
  /** Follow only this ticket (the caller may see it: checked before). */
  ticketId?: string | undefined;
  /** Replay the events after this id (the `Last-Event-ID` of a reconnecting client). */
  lastEventId?: number | undefined;
  /** A comment line every this many milliseconds keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Extra response headers (CORS for the chat stream). */
  headers?: Record<string, string>;
  /** Re-resolves the caller at each heartbeat: null ends the stream (signed out, token revoked). */
  refreshPrincipal?: () => Promise<Principal | null>;
  onError?: (err: unknown) => void;
};

/** Frames already written, per audience and event: one event fans out to many streams but is serialised once for each. */
const frames = { staff: new WeakMap<StreamEvent, string>(), customer: new WeakMap<StreamEvent, string>() };

/** Who reads a stream: a customer gets events as their timeline shows them, staff as recorded. */
const audienceOf = (p: Principal): "staff" | "customer" => (p.kind === "customer" ? "customer" : "staff");

/** One event in the SSE wire format: `id`, `event` (its type) and `data` (one line of JSON). */
export function formatEvent(event: StreamEvent, audience: "staff" | "customer"): string {
  let frame = frames[audience].get(event);
  if (frame === undefined) {
    frame = `id: ${event.id}\nevent: ${event.type.replace(/[\r\n]/g, "")}\ndata: ${JSON.stringify(presentStreamEvent(event, audience))}\n\n`;
    frames[audience].set(event, frame);
  }
  return frame;
}

/**
 * Answers a request with a Server-Sent Events stream of the timeline events the caller may see. It
 * subscribes to the hub first and holds live events while it reads the replay, so nothing falls between
 * the two and nothing is sent twice; only then does it answer, so a client that has the response's first
 * bytes receives every event committed after that. Everything that can fail happens before the response
 * starts, so a failure is still an ordinary problem response.
 */
export async function serveEventStream(reply: FastifyReply, opts: EventStreamOptions): Promise<void> {
  const res = reply.raw;
  let live = false; // the response has started: events go straight out
  let ended = false;
  const held: StreamEvent[] = [];
  /** Ids sent in the replay; a notification of one of them processed late is not sent again. */
  const replayed = new Set<number>();
  const cleanups: (() => void)[] = [];
  /** Runs `cleanup` when the stream ends (at once if it has ended already). */
  const onEnd = (cleanup: () => void) => (ended ? cleanup() : cleanups.push(cleanup));

  const end = () => {
    if (ended) return;
    ended = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    if (live && !res.writableEnded) res.end();
  };
  const write = (chunk: string) => {
    if (ended) return;
    if (res.writableLength > MAX_QUEUED_BYTES) return end();
    res.write(chunk);
  };
  const subscriber: StreamSubscriber = {
    principal: opts.principal,
    ticketId: opts.ticketId,
    deliver: (event) => {
      // The resume id is a cursor: what is not after it, the client had (a notification processed late
      // after a quick reconnect would otherwise bring it twice).
      if ((opts.lastEventId !== undefined && event.id <= opts.lastEventId) || replayed.has(event.id)) return;
      if (live) write(formatEvent(event, audienceOf(subscriber.principal)));
      else held.push(event);
    },
    // Presence is not a timeline event: no `id:` (it must not move the client's resume point) and no replay.
    deliverPresence: (update) => {
      if (live) write(`event: presence.changed\ndata: ${JSON.stringify(update)}\n\n`);
    },
    close: end,
  };
  res.on("close", end);

  onEnd(await opts.hub.subscribe(subscriber));
  let replay: Awaited<ReturnType<typeof visibleEventsAfter>> = { events: [], truncated: false };
  try {
    if (opts.lastEventId !== undefined) {
      replay = await visibleEventsAfter(opts.db, opts.principal, opts.lastEventId, { ticketId: opts.ticketId, limit: REPLAY_LIMIT });
    }
  } catch (err) {
    end();
    throw err;
  }
  reply.hijack();
  if (ended) return; // the client went away meanwhile

  res.writeHead(200, {
    ...opts.headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // nginx and similar proxies would otherwise buffer the stream.
    "x-accel-buffering": "no",
  });
  let first = `retry: ${RETRY_MS}\n: connected\n\n`;
  // More missed than replayed: the client should reload what it shows, then carry on from here.
  if (replay.truncated) first += `event: resync\ndata: ${JSON.stringify({ replayed: replay.events.length })}\n\n`;
  const audience = audienceOf(subscriber.principal);
  for (const event of replay.events) {
    first += formatEvent(event, audience);
    replayed.add(event.id);
  }
  for (const event of held.splice(0)) if (!replayed.has(event.id)) first += formatEvent(event, audience);
  live = true;
  write(first);

  const heartbeat = setInterval(() => {
    write(": heartbeat\n\n");
    if (opts.refreshPrincipal) {
      opts
        .refreshPrincipal()
        .then((principal) => {
          if (principal) subscriber.principal = principal;
          else end();
        })
        .catch((err: unknown) => opts.onError?.(err));
    }
  }, opts.heartbeatMs);
  heartbeat.unref();
  onEnd(() => clearInterval(heartbeat));
}
