import type {} from "@fastify/rate-limit";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { EventHub } from "../../channels/stream/event-hub.js";
import { serveEventStream } from "../../channels/stream/sse-connection.js";
import { chatHistory, conversationByToken, presentChatMessage } from "../../channels/chat/conversation.js";
import { usableVerification } from "../../channels/chat/verification.js";
import { confirmChatVisitor } from "../../commands/confirm-chat-visitor.js";
import { postChatMessage } from "../../commands/post-chat-message.js";
import { startChat } from "../../commands/start-chat.js";
import { chatConversations } from "../../db/schema.js";
import { AppError } from "../../domain/errors.js";
import {
  CHAT_TOKEN_HEADER,
  ChatConversationParams,
  ChatHistoryDto,
  ChatMessageBody,
  ChatMessageDto,
  ChatStreamQuery,
  ChatVerifiedDto,
  ChatVerifyBody,
  ChatVerifyQuery,
  StartChatBody,
  StartChatResponse,
} from "../../schemas/chat.schemas.js";
import { sendProblem } from "../problem.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";
import { resumeAfter } from "./stream.routes.js";

/** The widget's source, served as is: plain JavaScript, no build step. Found from src/ and from dist/. */
const WIDGET_FILE = fileURLToPath(new URL("../../../public/chat/widget.js", import.meta.url));

const TOKEN_DOC = `The conversation token from POST /chat/conversations, in the \`X-Tierline-Chat-Token\` header; it opens this conversation only.`;

/**
 * The web chat's public API: a visitor starts a conversation (a ticket with channel `chat`), posts messages
 * and follows the agents' public replies live. No sign-in: the conversation token grants one conversation.
 * Registered in a scope of its own: CORS applies to these routes only.
 */
export function chatRoutes(app: ZodApp, { store, clock, config }: RouteDeps, hub: EventHub): void {
  const ctx = { db: store.db, clock };
  const tags = ["chat"];
  registerChatCors(app, config.chatOrigins);
  const limited = (max: number, what: string) => ({
    max,
    timeWindow: "1 minute",
    errorResponseBuilder: (_req: FastifyRequest, c: { ttl: number }) => new AppError("rate_limited", `Too many ${what}; try again in ${Math.ceil(c.ttl / 1000)} s.`),
  });
  const tokenOf = (req: FastifyRequest) => {
    const header = req.headers[CHAT_TOKEN_HEADER];
    return Array.isArray(header) ? header[0] : header;
  };

  app.post("/chat/conversations", {
    config: { public: true, rateLimit: limited(config.chatStartRateLimit, "chats started from your address") },
    schema: {
      tags,
      summary: "Start a chat (public): opens a ticket with channel chat and returns the conversation token",
      description:
        "The visitor gets an unverified contact of their own (standard treatment; never the record, tier, SLA or ticket list of the customer who has the address) and a confirmation link is mailed to the address (at most 3 an hour per address); confirming it (GET/POST /chat/verify) moves the chat to that customer. The token is shown once and grants this conversation only; the widget keeps it in localStorage. Rate-limited per client address (TIERLINE_CHAT_START_RATE_LIMIT a minute).",
      security: [],
      body: StartChatBody,
      response: { 201: StartChatResponse, ...problems(400, 403, 404, 409, 429) },
    },
    handler: async (req, reply) => {
      const started = await startChat(ctx, req.body);
      return reply
        .code(201)
        .send({ ...(await chatHistory(store.db, started.conversation)), token: started.token, verificationMailSent: started.verification.mailSent });
    },
  });

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get("/chat/verify", {
    // The URL carries the token: keep it out of the info-level request log.
    logLevel: "warn",
    config: { public: true, rateLimit: limited(config.chatMessageRateLimit, "confirmation attempts from your address") },
    schema: {
      tags,
      summary: "The page a chat confirmation link opens (public): a button that confirms the address",
      description:
        "Checks the token without using it and answers a small HTML page whose button POSTs it to /chat/verify: mail scanners that open links do not confirm anything. A wrong token is 400 verification_token_invalid, a used one 409 verification_token_used, an expired one 410 verification_token_expired.",
      security: [],
      querystring: ChatVerifyQuery,
      produces: ["text/html"],
      response: { 200: z.string().describe("text/html"), ...problems(400, 409, 410, 429) },
    },
    handler: async (req, reply) => {
      await usableVerification(store.db, req.query.token, clock.now());
      return sendPage(reply, "Confirm your e-mail address", [
        "Confirm the e-mail address you gave in our chat, and the chat joins your customer account.",
        `<form method="post" action="verify"><input type="hidden" name="token" value="${escapeHtml(req.query.token)}"><button type="submit">Confirm my e-mail address</button></form>`,
      ]);
    },
  });

  app.post("/chat/verify", {
    config: { public: true, rateLimit: limited(config.chatMessageRateLimit, "confirmation attempts from your address") },
    schema: {
      tags,
      summary: "Confirm a chat visitor's e-mail address (public, with the token of the mailed link)",
      description:
        "Single use. The chat's ticket (and any other of the visitor's contact) moves to the customer who has the address, with their tier and SLA, and its timeline records chat.verified; with no such customer the contact becomes that customer. JSON in, JSON out; a form post (the page of GET /chat/verify) gets an HTML page. A wrong token is 400 verification_token_invalid, a used one 409 verification_token_used, an expired one 410 verification_token_expired.",
      security: [],
      body: ChatVerifyBody,
      response: { 200: ChatVerifiedDto, ...problems(400, 409, 410, 429) },
    },
    handler: async (req, reply) => {
      const confirmed = await confirmChatVisitor(ctx, req.body.token);
      if (String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
        return sendPage(reply, "Thank you", [`Your e-mail address ${escapeHtml(confirmed.customer.email)} is confirmed. You can go back to the chat.`]);
      }
      return { verified: true as const, conversationId: confirmed.conversationId, email: confirmed.customer.email, merged: confirmed.merged };
    },
  });

  app.get("/chat/conversations/:id", {
    config: { public: true },
    schema: {
      tags,
      summary: "A chat conversation and its messages (public, with the conversation token)",
      description: `${TOKEN_DOC} Internal notes never appear. \`lastEventId\` is where the conversation's stream carries on from.`,
      security: [],
      params: ChatConversationParams,
      response: { 200: ChatHistoryDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => chatHistory(store.db, await conversationByToken(store.db, req.params.id, tokenOf(req))),
  });

  app.post("/chat/conversations/:id/messages", {
    config: { public: true, rateLimit: limited(config.chatMessageRateLimit, "chat messages from your address") },
    schema: {
      tags,
      summary: "Send a visitor's message (public, with the conversation token)",
      description: `${TOKEN_DOC} The message is a customer message on the conversation's ticket; a closed ticket answers 409 ticket_closed (start a new chat).`,
      security: [],
      params: ChatConversationParams,
      body: ChatMessageBody,
      response: { 201: ChatMessageDto, ...problems(400, 401, 403, 404, 409, 429) },
    },
    handler: async (req, reply) => {
      const conversation = await conversationByToken(store.db, req.params.id, tokenOf(req));
      const message = await postChatMessage(ctx, conversation, req.body);
      return reply.code(201).send(await presentChatMessage(store.db, message));
    },
  });

  app.get("/chat/conversations/:id/stream", {
    // The token may be in the URL (an EventSource cannot send headers): keep this route's URLs out of the info-level request log.
    logLevel: "warn",
    config: { public: true },
    schema: {
      tags,
      summary: "The conversation's public events, live (Server-Sent Events; public, with the conversation token)",
      description:
        "The token as `?token=` (a browser's EventSource cannot set headers) or in the `X-Tierline-Chat-Token` header. The format is that of GET /stream, for this conversation's ticket and only its public events: `message.public` (an agent's reply) and `message.customer` (the visitor's own messages) carry `message`. Reconnecting with `Last-Event-ID` (or `?lastEventId=`) replays what was missed.",
      security: [],
      params: ChatConversationParams,
      querystring: ChatStreamQuery,
      produces: ["text/event-stream"],
      response: { 200: z.string().describe("text/event-stream"), ...problems(400, 401, 403, 404) },
    },
    handler: async (req, reply) => {
      const conversation = await conversationByToken(store.db, req.params.id, tokenOf(req) ?? req.query.token);
      const principal = { kind: "customer" as const, id: conversation.customerId };
      await serveEventStream(reply, {
        hub,
        db: store.db,
        principal,
        ticketId: conversation.ticketId,
        lastEventId: resumeAfter(req, req.query.lastEventId),
        heartbeatMs: config.streamHeartbeatSeconds * 1000,
        headers: headersOf(reply),
        // Confirming the visitor's address moves the conversation to another customer record: the stream
        // then ends, and the widget's EventSource reconnects with Last-Event-ID as that customer, missing nothing.
        refreshPrincipal: async () => {
          const [row] = await store.db.select({ customerId: chatConversations.customerId }).from(chatConversations).where(eq(chatConversations.id, conversation.id));
          return row?.customerId === conversation.customerId ? principal : null;
        },
      });
    },
  });
}

/**
 * CORS for the chat endpoints, which the widget calls from other sites' pages. Only the origins configured
 * in TIERLINE_CHAT_ORIGINS (or any, with "*") get the Access-Control headers; a request from another page's
 * origin is refused with 403 (a non-browser client sends no Origin and is not affected). No credentials:
 * the conversation token travels explicitly, never as a cookie.
 */
function registerChatCors(app: ZodApp, allowed: "*" | string[]): void {
  app.addHook("onRequest", async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (allowed === "*") {
      reply.header("access-control-allow-origin", "*");
      return;
    }
    reply.header("vary", "Origin");
    if (!allowed.includes(origin)) return sendProblem(reply, request, "forbidden", `Web chat is not enabled for pages on ${origin}.`);
    reply.header("access-control-allow-origin", origin);
  });
  // Preflight: the widget sends JSON and the token header, so browsers ask first.
  app.options("/chat/*", { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .code(204)
      .header("access-control-allow-methods", "GET, POST, OPTIONS")
      .header("access-control-allow-headers", `content-type, ${CHAT_TOKEN_HEADER}, last-event-id`)
      .header("access-control-max-age", "600")
      .send(),
  );
}

/** A small HTML page (the confirmation link's), with no script and no outside resources. */
function sendPage(reply: FastifyReply, title: string, paragraphs: string[]): FastifyReply {
  const body = paragraphs.map((p) => (p.startsWith("<form") ? p : `<p>${p}</p>`)).join("\n");
  return reply
    .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .header("referrer-policy", "no-referrer")
    .header("cache-control", "no-store")
    .type("text/html; charset=utf-8")
    .send(
      `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem}</style></head>` +
        `<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The headers set on the reply so far (CORS), for the stream, which is written straight to the socket. */
function headersOf(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/**
 * `GET /chat/widget.js`: the embeddable widget, public, for `<script src=".../chat/widget.js" data-tierline-team="…" async>`.
 * Cached for five minutes and revalidated by ETag, so a new version reaches sites quickly.
 */
export function chatWidgetRoute(app: FastifyInstance): void {
  const source = readFileSync(WIDGET_FILE);
  const etag = `"${createHash("sha256").update(source).digest("base64url").slice(0, 27)}"`;
  app.get("/chat/widget.js", { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    reply
      .header("cache-control", "public, max-age=300")
      .header("etag", etag)
      .header("x-content-type-options", "nosniff")
      // Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
      .header("cross-origin-resource-policy", "cross-origin");
    if (req.headers["if-none-match"] === etag) return reply.code(304).send();
    return reply.type("text/javascript; charset=utf-8").send(source);
  });
}
