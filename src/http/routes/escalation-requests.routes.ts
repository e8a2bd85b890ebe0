import { acceptEscalationRequest } from "../../commands/accept-escalation-request.js";
import { declineEscalationRequest } from "../../commands/decline-escalation-request.js";
import { requestEscalation } from "../../commands/request-escalation.js";
import { listEscalationRequests, listTicketEscalationRequests } from "../../queries/escalation-request.queries.js";
import { IdParams, pageOf, PageQuery } from "../../schemas/common.js";
import {
  AcceptEscalationRequestBody,
  CreateEscalationRequestBody,
  DeclineEscalationRequestBody,
  EscalationRequestDto,
  EscalationRequestListQuery,
} from "../../schemas/escalation-request.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentEscalationRequest, presentPage } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Customers ask for their ticket to be escalated; staff see the requests and accept or decline them. */
export function escalationRequestRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);
  const tags = ["escalation requests"];
  const guardrails = { minAgeMinutes: config.customerEscalationMinAgeMinutes, dailyLimit: config.customerEscalationDailyLimit };

  app.post("/tickets/:id/escalation-requests", {
    schema: {
      tags,
      summary: "Ask for your ticket to be escalated (the ticket's customer only)",
      description:
        `Allowed once the ticket is ${guardrails.minAgeMinutes} minutes old or its first-response target is missed, while no other ` +
        `request of the ticket waits for an answer, and at most ${guardrails.dailyLimit} times in 24 hours per customer. ` +
        "A refusal says in `detail` from when the request will be allowed.",
      params: IdParams,
      body: CreateEscalationRequestBody,
      response: { 201: EscalationRequestDto, ...problems(400, 401, 403, 404, 409, 429) },
    },
    handler: async (req, reply) => reply.code(201).send(presentEscalationRequest(await requestEscalation(ctx(req), req.params.id, req.body, guardrails))),
  });
  app.get("/tickets/:id/escalation-requests", {
    schema: {
      tags,
      summary: "A ticket's escalation requests with their answers, oldest first",
      params: IdParams,
      querystring: PageQuery,
      response: { 200: pageOf(EscalationRequestDto), ...problems(400, 401, 404) },
    },
    handler: async (req) => presentPage(await listTicketEscalationRequests(ctx(req), req.params.id, req.query), presentEscalationRequest),
  });
  app.get("/escalation-requests", {
    schema: {
      tags,
      summary: "Escalation requests on the tickets you can see, oldest first (staff only)",
      querystring: EscalationRequestListQuery,
      response: { 200: pageOf(EscalationRequestDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => presentPage(await listEscalationRequests(ctx(req), req.query), presentEscalationRequest),
  });
  app.post("/escalation-requests/:id/accept", {
    schema: {
      tags,
      summary: "Accept a request: escalate the ticket (kind `customer`) to the named team or the next level up",
      description: "`note` is the answer the customer reads, and follows the customer's reason in the handover note.",
      params: IdParams,
      body: AcceptEscalationRequestBody,
      response: { 200: EscalationRequestDto, ...problems(400, 401, 403, 404, 409, 422) },
    },
    handler: async (req) => presentEscalationRequest(await acceptEscalationRequest(ctx(req), req.params.id, req.body)),
  });
  app.post("/escalation-requests/:id/decline", {
    schema: {
      tags,
      summary: "Decline a request with a reason the customer reads",
      params: IdParams,
      body: DeclineEscalationRequestBody,
      response: { 200: EscalationRequestDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentEscalationRequest(await declineEscalationRequest(ctx(req), req.params.id, req.body)),
  });
}
