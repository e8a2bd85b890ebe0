import { z } from "zod";
import { acknowledgeEscalation } from "../../commands/acknowledge-escalation.js";
import { autoAssignTicket } from "../../commands/auto-assign-ticket.js";
import { addMessage } from "../../commands/add-message.js";
import { createTicket } from "../../commands/create-ticket.js";
import { deEscalateTicket } from "../../commands/de-escalate-ticket.js";
import { escalateTicket } from "../../commands/escalate-ticket.js";
import { previewEscalation } from "../../commands/preview-escalation.js";
import { updateTicket } from "../../commands/update-ticket.js";
import { ESCALATION_REASON_CATALOGUE } from "../../domain/escalation-reasons.js";
import { ESCALATION_REASONS } from "../../domain/vocabulary.js";
import { getEscalation, getTicket, getTicketByNumber, listEscalations, listEvents, listMessages } from "../../queries/ticket.queries.js";
import { countTicketViews, listTickets, type TicketListRow } from "../../queries/ticket-list.queries.js";
import { bulkUpdateTickets } from "../../commands/bulk-update-tickets.js";
import { loadOrganisationNames } from "../../queries/organisation-names.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import { EscalationPreviewDto } from "../../schemas/escalation-preview.schemas.js";
import {
  CreateEscalationBody,
  CreateMessageBody,
  CreateTicketBody,
  CustomerTicketDto,
  DeEscalateBody,
  EscalationDto,
  EventDto,
  MessageDto,
  TicketChangedProblem,
  TicketDto,
  BulkUpdateTicketsBody,
  TicketListItemDto,
  TicketListQuery,
  TicketViewCountsDto,
  TicketViewDto,
  UpdateTicketBody,
} from "../../schemas/ticket.schemas.js";
import type { CommandContext } from "../../commands/context.js";
import type { Ticket } from "../../db/schema.js";
import { contextOf } from "../auth.plugin.js";
import { presentCustomerTicket, presentEscalation, presentEvent, presentListItem, presentMessage, presentPage, presentTicket } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Tickets and everything on them: messages, escalations, the timeline. */
export function ticketRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["tickets"];
  /** How the caller reads tickets: staff the full record, a customer their view with names instead of ids. */
  const ticketPresenter = async (c: CommandContext): Promise<(t: Ticket) => ReturnType<typeof presentTicket> | ReturnType<typeof presentCustomerTicket>> => {
    if (c.actor.kind !== "customer") return presentTicket;
    const names = await loadOrganisationNames(c.db);
    return (t: Ticket) => presentCustomerTicket(t, names);
  };

  app.post("/tickets", {
    schema: { tags, summary: "Open a ticket", body: CreateTicketBody, response: { 201: TicketViewDto, ...problems(400, 401, 404, 409) } },
    handler: async (req, reply) => {
      const c = ctx(req);
      const ticket = await createTicket(c, req.body);
      return reply.code(201).send((await ticketPresenter(c))(ticket));
    },
  });
  app.get("/tickets", {
    schema: {
      tags,
      summary: "List the tickets you can see: a view, filters, full-text search and a sort, a keyset page at a time",
      description:
        "Views: `mine` (assigned to you), `team` (your teams' tickets), `escalated` (an active escalation to your team or you, unacknowledged first), `at-risk` (unfinished with a running SLA clock, nearest due first), `waiting` (pending on the customer), `all`. `mine`, `team` and `escalated` leave out resolved and closed tickets unless `status` is given. A cursor works only with the view, sort and direction it came from.",
      querystring: TicketListQuery,
      response: { 200: pageOf(z.union([TicketListItemDto, CustomerTicketDto])), ...problems(400, 401, 403) },
    },
    handler: async (req) => {
      const c = ctx(req);
      const page = await listTickets(c, req.query);
      if (c.actor.kind === "customer") {
        const names = await loadOrganisationNames(c.db);
        return presentPage(page, (r: TicketListRow) => presentCustomerTicket(r.ticket, names));
      }
      return presentPage(page, presentListItem);
    },
  });
  app.get("/tickets/views", {
    schema: { tags, summary: "How many tickets each inbox view holds for you", response: { 200: TicketViewCountsDto, ...problems(401, 403) } },
    handler: async (req) => ({ counts: await countTicketViews(ctx(req)) }),
  });
  app.post("/tickets/bulk", {
    schema: {
      tags,
      summary: "Change the status, priority or assignee of up to 100 tickets, or add tags to them, all or nothing",
      description: "Each ticket is checked and changed as PATCH /tickets/{id} would; one refused ticket refuses the whole request (the problem names it) and nothing is written.",
      body: BulkUpdateTicketsBody,
      response: { 200: z.object({ data: z.array(TicketDto) }), ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (req) => ({ data: (await bulkUpdateTickets(ctx(req), req.body)).map(presentTicket) }),
  });
  app.get("/tickets/:id", {
    schema: { tags, summary: "Get a ticket", params: IdParams, response: { 200: TicketViewDto, ...problems(400, 401, 404) } },
    handler: async (req) => {
      const c = ctx(req);
      const ticket = await getTicket(c, req.params.id);
      return (await ticketPresenter(c))(ticket);
    },
  });
  app.get("/tickets/by-number/:number", {
    schema: {
      tags,
      summary: "Get a ticket by its number (what people, mail and links use)",
      params: z.object({ number: z.coerce.number().int().min(1).max(2_147_483_647) }),
      response: { 200: TicketViewDto, ...problems(400, 401, 404) },
    },
    handler: async (req) => {
      const c = ctx(req);
      const ticket = await getTicketByNumber(c, req.params.number);
      return (await ticketPresenter(c))(ticket);
    },
  });
  app.patch("/tickets/:id", {
    schema: { tags, summary: "Change a ticket's status, priority, category, tags, subject or assignee", params: IdParams, body: UpdateTicketBody, response: { 200: TicketViewDto, ...problems(400, 401, 403, 404, 409, 422) } },
    handler: async (req) => {
      const c = ctx(req);
      const ticket = await updateTicket(c, req.params.id, req.body);
      return (await ticketPresenter(c))(ticket);
    },
  });

  app.post("/tickets/:id/messages", {
    schema: { tags, summary: "Add a reply, internal note or customer message", params: IdParams, body: CreateMessageBody, response: { 201: MessageDto, ...problems(400, 401, 403, 404), 409: TicketChangedProblem } },
    handler: async (req, reply) => reply.code(201).send(presentMessage(await addMessage(ctx(req), req.params.id, req.body))),
  });
  app.get("/tickets/:id/messages", {
    schema: { tags, summary: "List a ticket's messages, oldest first", params: IdParams, querystring: PageQuery, response: { 200: pageOf(MessageDto), ...problems(400, 401, 404) } },
    handler: async (req) => presentPage(await listMessages(ctx(req), req.params.id, req.query), presentMessage),
  });

  app.post("/tickets/:id/escalations", {
    schema: { tags: ["escalations"], summary: "Escalate a ticket with a handover note", params: IdParams, body: CreateEscalationBody, response: { 201: EscalationDto, ...problems(400, 401, 403, 404, 409, 422) } },
    handler: async (req, reply) => reply.code(201).send(presentEscalation(await escalateTicket(ctx(req), req.params.id, req.body))),
  });
  app.post("/tickets/:id/escalations/preview", {
    schema: {
      tags: ["escalations"],
      summary: "Dry-run an escalation: where it would go, the SLA policy, clocks and timers that would follow, the rules that would fire",
      description: "Takes the body of `POST /tickets/{id}/escalations` and answers with what that escalation would do now, refusing exactly as it would. Nothing is written.",
      params: IdParams,
      body: CreateEscalationBody,
      response: { 200: EscalationPreviewDto, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (req) => previewEscalation(ctx(req), req.params.id, req.body),
  });
  app.get("/tickets/:id/escalations", {
    schema: { tags: ["escalations"], summary: "List a ticket's escalations, oldest first", params: IdParams, querystring: PageQuery, response: { 200: pageOf(EscalationDto), ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentPage(await listEscalations(ctx(req), req.params.id, req.query), presentEscalation),
  });
  app.get("/escalations/:id", {
    schema: { tags: ["escalations"], summary: "Get an escalation", params: IdParams, response: { 200: EscalationDto, ...problems(400, 401, 403, 404) } },
    handler: async (req) => presentEscalation(await getEscalation(ctx(req), req.params.id)),
  });
  app.get("/escalation-reasons", {
    schema: {
      tags: ["escalations"],
      summary: "The catalogue of escalation reason codes, with labels",
      response: { 200: z.object({ data: z.array(z.object({ code: z.enum(ESCALATION_REASONS), label: z.string(), description: z.string() })) }), ...problems(401) },
    },
    handler: async (req) => {
      contextOf(req, store, clock); // signed-in callers only
      return { data: ESCALATION_REASONS.map((code) => ({ code, ...ESCALATION_REASON_CATALOGUE[code] })) };
    },
  });
  app.post("/escalations/:id/acknowledge", {
    schema: { tags: ["escalations"], summary: "Acknowledge an escalation (take it over)", params: IdParams, response: { 200: EscalationDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req) => presentEscalation(await acknowledgeEscalation(ctx(req), req.params.id)),
  });
  app.post("/tickets/:id/de-escalate", {
    schema: { tags: ["escalations"], summary: "Hand a ticket back down with a note", params: IdParams, body: DeEscalateBody, response: { 200: EscalationDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req) => presentEscalation(await deEscalateTicket(ctx(req), req.params.id, req.body)),
  });

  app.post("/tickets/:id/auto-assign", {
    schema: {
      tags,
      summary: "Assign the ticket to the most suitable agent of its team",
      description: "Online agents with room under their capacity; the category as a skill and the `lang:xx` tag's language when someone has them; then the lowest load; round-robin among equals. The answer and the timeline say why.",
      params: IdParams,
      response: { 200: z.object({ ticket: TicketDto, routing: z.object({ agentId: z.string().nullable(), why: z.string() }) }), ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => {
      const { ticket, routing } = await autoAssignTicket(ctx(req), req.params.id);
      return { ticket: presentTicket(ticket), routing };
    },
  });
  app.get("/tickets/:id/events", {
    schema: { tags, summary: "A ticket's timeline, oldest first", params: IdParams, querystring: PageQuery, response: { 200: pageOf(EventDto), ...problems(400, 401, 404) } },
    handler: async (req) => presentPage(await listEvents(ctx(req), req.params.id, req.query), presentEvent),
  });
}
