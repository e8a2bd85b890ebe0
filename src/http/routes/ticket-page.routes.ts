import { z } from "zod";
import { createCannedReply } from "../../commands/create-canned-reply.js";
import { deleteCannedReply } from "../../commands/delete-canned-reply.js";
import { clearPresence, setPresence } from "../../commands/set-presence.js";
import { updateCannedReply } from "../../commands/update-canned-reply.js";
import { getCannedReply, listCannedReplies, renderCannedReply } from "../../queries/canned-reply.queries.js";
import { getCustomerSummary } from "../../queries/customer-summary.queries.js";
import { listPresence } from "../../queries/presence.queries.js";
import {
  CannedReplyDto,
  CannedReplyListQuery,
  CreateCannedReplyBody,
  RenderCannedReplyQuery,
  RenderedCannedReplyDto,
  UpdateCannedReplyBody,
} from "../../schemas/canned-reply.schemas.js";
import { IdParams, pageOf } from "../../schemas/common.js";
import { CustomerSummaryDto } from "../../schemas/customer-summary.schemas.js";
import { PresenceListDto, SetPresenceBody } from "../../schemas/presence.schemas.js";
import type { CannedReply } from "../../db/schema.js";
import { contextOf } from "../auth.plugin.js";
import { presentAccount, presentCustomer, presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

const presentCannedReply = (r: CannedReply) => ({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });

/** What the agent's ticket page needs besides the ticket: canned replies, presence and the customer panel. */
export function ticketPageRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const canned = ["canned replies"];

  app.get("/canned-replies", {
    schema: { tags: canned, summary: "List canned replies by title (staff)", querystring: CannedReplyListQuery, response: { 200: pageOf(CannedReplyDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listCannedReplies(ctx(req), req.query), presentCannedReply),
  });
  app.post("/canned-replies", {
    schema: { tags: canned, summary: "Add a canned reply (leads, managers, admins)", body: CreateCannedReplyBody, response: { 201: CannedReplyDto, ...problems(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentCannedReply(await createCannedReply(ctx(req), req.body))),
  });
  app.get("/canned-replies/:id", {
    schema: { tags: canned, summary: "Get a canned reply (staff)", params: IdParams, response: { 200: CannedReplyDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentCannedReply(await getCannedReply(ctx(req), req.params.id)),
  });
  app.patch("/canned-replies/:id", {
    schema: { tags: canned, summary: "Change a canned reply (leads, managers, admins)", params: IdParams, body: UpdateCannedReplyBody, response: { 200: CannedReplyDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req) => presentCannedReply(await updateCannedReply(ctx(req), req.params.id, req.body)),
  });
  app.delete("/canned-replies/:id", {
    schema: { tags: canned, summary: "Delete a canned reply (leads, managers, admins)", params: IdParams, response: { 204: z.undefined(), ...problems(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await deleteCannedReply(ctx(req), req.params.id);
      return reply.code(204).send();
    },
  });
  app.get("/canned-replies/:id/render", {
    schema: {
      tags: canned,
      summary: "A canned reply with its placeholders filled for a ticket and the caller",
      params: IdParams,
      querystring: RenderCannedReplyQuery,
      response: { 200: RenderedCannedReplyDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => renderCannedReply(ctx(req), req.params.id, req.query.ticketId),
  });

  app.get("/tickets/:id/presence", {
    schema: { tags: ["tickets", "live updates"], summary: "Who is viewing or typing on a ticket (staff)", params: IdParams, response: { 200: PresenceListDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => ({ ticketId: req.params.id, data: await listPresence(ctx(req), req.params.id) }),
  });
  app.put("/tickets/:id/presence", {
    schema: {
      tags: ["tickets", "live updates"],
      summary: "Heartbeat: you are viewing or typing on the ticket (staff)",
      description: "Send every 10 s while the ticket is open; a presence lapses 30 s after its last heartbeat. Other viewers receive `presence.changed` on the stream when someone arrives, leaves or starts or stops typing. Answers who is on the ticket now.",
      params: IdParams,
      body: SetPresenceBody,
      response: { 200: PresenceListDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => {
      const c = ctx(req);
      await setPresence(c, req.params.id, req.body);
      return { ticketId: req.params.id, data: await listPresence(c, req.params.id) };
    },
  });
  app.delete("/tickets/:id/presence", {
    schema: { tags: ["tickets", "live updates"], summary: "You left the ticket (staff)", params: IdParams, response: { 204: z.undefined(), ...problems(400, 401, 403, 404) } },
    handler: async (req, reply) => {
      await clearPresence(ctx(req), req.params.id);
      return reply.code(204).send();
    },
  });

  app.get("/customers/:id", {
    schema: { tags: ["customers"], summary: "A customer with their account, value and open tickets (staff)", params: IdParams, response: { 200: CustomerSummaryDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => {
      const s = await getCustomerSummary(ctx(req), req.params.id);
      return {
        customer: presentCustomer(s.customer),
        account: s.account ? presentAccount(s.account) : null,
        openTickets: s.openTickets.map((t) => ({ ...t, createdAt: t.createdAt.toISOString() })),
        openTicketCount: s.openTicketCount,
        ticketCount: s.ticketCount,
      };
    },
  });
}
