import type { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { getAttachment, listTicketAttachments, type AttachmentInfo } from "../../queries/attachment.queries.js";
import { attachmentUrl } from "../../channels/email/inbound/read-mail.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { AttachmentDto } from "../../schemas/mailbox.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/**
 * Types a browser only displays or hands to a viewer. Anything else (HTML, SVG, XML, scripts, unknown
 * types) is served as application/octet-stream, so a file from a customer never runs in our origin.
 */
const PASSIVE_TYPE =
  /^(image\/(png|jpeg|gif|webp|bmp|tiff|avif|heic|heif)|audio\/[\w.+-]+|video\/[\w.+-]+|text\/(plain|csv|calendar)|message\/rfc822|application\/(pdf|zip|gzip|x-7z-compressed|x-tar|vnd\.rar|x-rar-compressed|rtf|json|msword|vnd\.ms-excel|vnd\.ms-powerpoint|vnd\.ms-outlook|vnd\.openxmlformats-officedocument\.[\w.+-]+|vnd\.oasis\.opendocument\.[\w.+-]+|octet-stream))$/;

/** The Content-Type a stored file is served with. */
export function servedContentType(stored: string): string {
  return PASSIVE_TYPE.test(stored) ? stored : "application/octet-stream";
}

/**
 * Sends bytes (in memory, or streamed with their size known) as a download: attachment disposition (with a
 * UTF-8 file name), no sniffing, no scripts.
 */
export function sendDownload(reply: FastifyReply, content: Buffer | Readable, contentType: string, filename: string, size?: number) {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
  if (!Buffer.isBuffer(content) && size !== undefined) reply.header("content-length", size);
  return reply
    .header("content-type", contentType)
    .header("content-disposition", `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("cache-control", "private, no-cache")
    .send(content);
}

const presentAttachment = (a: AttachmentInfo) => ({ ...a, url: attachmentUrl(a.id), createdAt: a.createdAt.toISOString() });

/** Files that came with mail: a ticket's list, and the download (for whoever may see the ticket). */
export function attachmentRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["tickets"];

  app.get("/tickets/:id/attachments", {
    schema: {
      tags,
      summary: "A ticket's attachments, in the order the mails had them",
      description: "Customers see the files of their own tickets, never those of internal notes.",
      params: IdParams,
      querystring: PageQuery,
      response: { 200: pageOf(AttachmentDto), ...problems(400, 401, 404) },
    },
    handler: async (req) => presentPage(await listTicketAttachments(ctx(req), req.params.id, req.query), presentAttachment),
  });
  app.get("/attachments/:id", {
    schema: {
      tags,
      summary: "Download an attachment",
      description:
        "The file as a download (Content-Disposition: attachment) with its stored type; HTML, SVG, scripts and other active or unknown types come as application/octet-stream.",
      params: IdParams,
      response: problems(400, 401, 404),
    },
    handler: async (req, reply) => {
      const file = await getAttachment(ctx(req), req.params.id);
      return sendDownload(reply, file.body, servedContentType(file.contentType), file.filename, file.size);
    },
  });
}
