import { reprocessInboundMail } from "../../commands/reprocess-inbound-mail.js";
import { getInboundMail, getInboundMailRaw, listInboundMail, type InboundMailSummary } from "../../queries/inbound-mail.queries.js";
import { IdParams, pageOf } from "../../schemas/common.js";
import { InboundMailDto, InboundMailQuery } from "../../schemas/mailbox.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";
import { sendDownload } from "./attachments.routes.js";

const presentInboundMail = (m: InboundMailSummary) => ({ ...m, receivedAt: m.receivedAt.toISOString() });

/** The log of every mail taken in and its quarantine (managers and admins). */
export function inboundMailRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["email"];

  app.get("/inbound-mail", {
    schema: {
      tags,
      summary: "Mail taken in, newest first: tickets, replies, ignored auto-replies and bounces, and the quarantine (?status=quarantined)",
      querystring: InboundMailQuery,
      response: { 200: pageOf(InboundMailDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => presentPage(await listInboundMail(ctx(req), req.query), presentInboundMail),
  });
  app.get("/inbound-mail/:id", {
    schema: { tags, summary: "One mail of the log", params: IdParams, response: { 200: InboundMailDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentInboundMail(await getInboundMail(ctx(req), req.params.id)),
  });
  app.get("/inbound-mail/:id/raw", {
    schema: { tags, summary: "The raw message as received (message/rfc822 download)", params: IdParams, response: problems(400, 401, 403, 404) },
    handler: async (req, reply) => {
      const raw = await getInboundMailRaw(ctx(req), req.params.id);
      return sendDownload(reply, raw.body, "message/rfc822", `inbound-${req.params.id}.eml`, raw.size);
    },
  });
  app.post("/inbound-mail/:id/reprocess", {
    schema: {
      tags,
      summary: "File a quarantined mail again with today's configuration; it stays quarantined, with the new reason, if it still cannot be filed",
      params: IdParams,
      response: { 200: InboundMailDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => {
      const c = ctx(req);
      await reprocessInboundMail(c, req.params.id, { maxAttachmentBytes: config.mailMaxAttachmentBytes });
      return presentInboundMail(await getInboundMail(c, req.params.id));
    },
  });
}
