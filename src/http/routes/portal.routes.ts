import type {} from "@fastify/rate-limit";
import { z } from "zod";
import { addMessageWithFiles } from "../../commands/add-message-with-files.js";
import { requestMagicLink } from "../../commands/request-magic-link.js";
import { verifyMagicLink } from "../../commands/verify-magic-link.js";
import { AppError } from "../../domain/errors.js";
import { attachmentUrl } from "../../channels/email/inbound/read-mail.js";
import { getNextUpdate, getPortalSettings } from "../../queries/portal.queries.js";
import { IdParams, Problem } from "../../schemas/common.js";
import { UserDto } from "../../schemas/auth.schemas.js";
import {
  CreateMessageWithFilesBody,
  MagicLinkAcceptedDto,
  MagicLinkBody,
  MessageWithFilesDto,
  NextUpdateDto,
  PortalSettingsDto,
  UPLOAD_MAX_FILE_BYTES,
  UPLOAD_MAX_FILES,
  UPLOAD_MAX_TOTAL_BYTES,
  UPLOAD_TYPES,
  VerifyMagicLinkBody,
} from "../../schemas/portal.schemas.js";
import { contextOf, SESSION_COOKIE } from "../auth.plugin.js";
import { presentMessage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** The one answer to every sign-in link request, known address or not, so it discloses no account. */
const LINK_ACCEPTED = {
  accepted: true as const,
  detail: "If this address belongs to a customer account, a sign-in link is on its way. It works once, for 15 minutes.",
};

/** Base64 makes 4 bytes of 3; the JSON around the files and the message text fit in the rest. */
const UPLOAD_BODY_LIMIT = Math.ceil(UPLOAD_MAX_TOTAL_BYTES / 3) * 4 + 512 * 1024;

/** The customer portal's API: sign-in by mailed link, what the forms need, replies with files. */
export function portalRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const rateLimit = (what: string) => ({
    max: config.loginRateLimit,
    timeWindow: "1 minute",
    errorResponseBuilder: (_req: unknown, c: { ttl: number }) => new AppError("rate_limited", `Too many ${what}; try again in ${Math.ceil(c.ttl / 1000)} s.`),
  });

  app.post("/auth/magic-link", {
    config: { public: true, rateLimit: rateLimit("sign-in link requests") },
    schema: {
      tags: ["auth"],
      summary: "Mail a customer a single-use sign-in link (the portal's sign-in)",
      description:
        "Always 202 with the same body, whether or not the address belongs to a customer, so the answer discloses no account. " +
        "A verified customer with the address gets a mail with `<publicUrl>/portal/sign-in?token=…`, valid for 15 minutes and usable once; " +
        "at most 3 such mails go to one customer in 15 minutes. Staff and unconfirmed chat contacts never get one. Rate-limited per client address (TIERLINE_LOGIN_RATE_LIMIT a minute).",
      body: MagicLinkBody,
      response: { 202: MagicLinkAcceptedDto, ...problems(400, 429) },
    },
    handler: async (req, reply) => {
      await requestMagicLink({ db: store.db, clock }, req.body.email);
      return reply.code(202).send(LINK_ACCEPTED);
    },
  });

  app.post("/auth/magic-link/verify", {
    config: { public: true, rateLimit: rateLimit("sign-in attempts") },
    schema: {
      tags: ["auth"],
      summary: "Sign in with the token of a mailed sign-in link; sets the session cookie",
      description: "Single use. A forged token is 400 sign_in_link_invalid; a used one 401 sign_in_link_used; an expired one 401 sign_in_link_expired.",
      body: VerifyMagicLinkBody,
      response: { 200: z.object({ user: UserDto }), ...problems(400, 401, 429) },
    },
    handler: async (req, reply) => {
      const { user, token, expiresAt } = await verifyMagicLink({ db: store.db, clock }, req.body.token, config.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, token, { signed: true, httpOnly: true, sameSite: "lax", secure: config.cookieSecure, path: "/", expires: expiresAt });
      return { user };
    },
  });

  app.get("/portal/settings", {
    schema: {
      tags: ["settings"],
      summary: "What the portal's new-ticket form offers (any signed-in user)",
      description: "Whether customers may choose a priority and which ones (never urgent), and the categories the active routing rules route by.",
      response: { 200: PortalSettingsDto, ...problems(401) },
    },
    handler: async (req) => getPortalSettings(ctx(req)),
  });

  app.get("/tickets/:id/next-update", {
    schema: {
      tags: ["tickets"],
      summary: "When the customer should next hear from us on a ticket",
      description: "The earliest due time of the ticket's counting first-response, next-response and periodic-update clocks; for whoever may see the ticket, the customer included. Nothing of the policy or its targets.",
      params: IdParams,
      response: { 200: NextUpdateDto, ...problems(400, 401, 404) },
    },
    handler: async (req) => {
      const next = await getNextUpdate(ctx(req), req.params.id);
      return { ...next, dueAt: next.dueAt?.toISOString() ?? null };
    },
  });

  app.post("/tickets/:id/messages/with-files", {
    bodyLimit: UPLOAD_BODY_LIMIT,
    schema: {
      tags: ["tickets"],
      summary: "Add a message with attached files (JSON, each file's bytes base64-encoded)",
      description:
        `Like POST /tickets/{id}/messages, with 1 to ${UPLOAD_MAX_FILES} files of these types: ${UPLOAD_TYPES.join(", ")}. ` +
        `Each file at most ${UPLOAD_MAX_FILE_BYTES / 1024 / 1024} MB, together at most ${UPLOAD_MAX_TOTAL_BYTES / 1024 / 1024} MB (413 payload_too_large); nothing is written unless all of it is.`,
      params: IdParams,
      body: CreateMessageWithFilesBody,
      response: { 201: MessageWithFilesDto, ...problems(400, 401, 403, 404, 409), 413: Problem },
    },
    handler: async (req, reply) => {
      const { message, attachments } = await addMessageWithFiles(ctx(req), req.params.id, req.body);
      return reply.code(201).send({
        message: presentMessage(message),
        attachments: attachments.map((a) => ({ ...a, url: attachmentUrl(a.id), createdAt: a.createdAt.toISOString() })),
      });
    },
  });
}
