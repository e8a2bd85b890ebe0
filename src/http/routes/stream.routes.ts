import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { principalFromApiToken, principalFromSession } from "../../auth/resolve-principal.js";
import type { EventHub } from "../../channels/stream/event-hub.js";
import { REPLAY_LIMIT, serveEventStream } from "../../channels/stream/sse-connection.js";
import { AppError } from "../../domain/errors.js";
import type { Principal } from "../../domain/principal.js";
import { getTicket } from "../../queries/ticket.queries.js";
import { Uuid } from "../../schemas/common.js";
import { contextOf, sessionToken } from "../auth.plugin.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The live-update hub of this instance (its connected streams). */
    liveUpdates: EventHub;
  }
}

/** An event id to resume after: what `id:` lines carry. */
const EventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const StreamQuery = z.object({
  ticketId: Uuid.optional().describe("Follow one ticket only"),
  lastEventId: EventId.optional().describe("Replay the events after this id first (a `Last-Event-ID` header takes precedence)"),
});

/**
 * The event id to resume after: the `Last-Event-ID` header a browser's EventSource sends when it reconnects
 * wins over `?lastEventId=`, which stays in the URL from the first connection.
 */
export function resumeAfter(req: FastifyRequest, fromQuery: number | undefined): number | undefined {
  const header = req.headers["last-event-id"];
  if (header === undefined || header === "") return fromQuery;
  const parsed = EventId.safeParse(Array.isArray(header) ? header[0] : header);
  if (!parsed.success) {
    throw new AppError("validation_failed", "The Last-Event-ID header is not an event id.", [
      { path: "headers.last-event-id", message: "must be a whole number ≥ 0" },
    ]);
  }
  return parsed.data;
}

/** Live updates: the timeline events the caller may see, as Server-Sent Events. */
export function streamRoutes(app: ZodApp, { store, clock, config }: RouteDeps, hub: EventHub): void {
  app.get("/stream", {
    schema: {
      tags: ["live updates"],
      summary: "Live timeline events you may see (Server-Sent Events)",
      description: [
        "A `text/event-stream` of the timeline events of every ticket the caller may see (`?ticketId=` for one), from every instance.",
        "Each event is `id: <event id>`, `event: <type>` (e.g. `ticket.created`, `message.public`, `escalation.created`, `sla.breached`) and",
        "`data:` one line of JSON: the item of `GET /tickets/{id}/events` plus `ticketNumber` and, for message events, `message`.",
        "Customers receive only public events of their own tickets. A comment line every 20 s (TIERLINE_STREAM_HEARTBEAT_SECONDS) keeps proxies from closing the stream.",
        `A reconnecting client sends \`Last-Event-ID\` (browsers do) or \`?lastEventId=\` and first receives what it missed, at most ${REPLAY_LIMIT}`,
        "events; with more missed it receives the newest ones after an `event: resync`, its cue to reload.",
        "Authentication: the session cookie (a browser's `EventSource` sends it; it cannot set headers) or `Authorization: Bearer`.",
      ].join(" "),
      querystring: StreamQuery,
      produces: ["text/event-stream"],
      response: { 200: z.string().describe("text/event-stream"), ...problems(400, 401, 404) },
    },
    handler: async (req, reply) => {
      const ctx = contextOf(req, store, clock);
      if (req.query.ticketId) await getTicket(ctx, req.query.ticketId);
      await serveEventStream(reply, {
        hub,
        db: store.db,
        principal: ctx.actor,
        ticketId: req.query.ticketId,
        lastEventId: resumeAfter(req, req.query.lastEventId),
        heartbeatMs: config.streamHeartbeatSeconds * 1000,
        refreshPrincipal: () => resolveAgain(req),
        onError: (err) => req.log.error({ err }, "live updates: re-checking the caller failed"),
      });
    },
  });

  /** The caller again, as the auth hook resolved it, so a revoked token or ended session ends its stream. */
  function resolveAgain(req: FastifyRequest): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (match) return principalFromApiToken(store.db, match[1]!, clock.now());
    const token = sessionToken(req);
    return token ? principalFromSession(store.db, token, clock.now()) : Promise.resolve(null);
  }
}
