import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type * as requests from "../../../src/schemas/escalation-request.schemas";
import { apiFetch } from "./client";
import type { Page } from "./types";

export type EscalationRequest = z.infer<typeof requests.EscalationRequestDto>;
export type AcceptBody = z.input<typeof requests.AcceptEscalationRequestBody>;

/** A ticket's customer escalation requests, oldest first. */
export const ticketEscalationRequestsQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "escalation-requests"] as const,
    queryFn: async () => (await apiFetch<Page<EscalationRequest>>("GET", `/tickets/${ticketId}/escalation-requests?limit=200`)).data,
  });

export const acceptEscalationRequest = (id: string, body: AcceptBody) => apiFetch<EscalationRequest>("POST", `/escalation-requests/${id}/accept`, { body });

export const declineEscalationRequest = (id: string, reason: string) => apiFetch<EscalationRequest>("POST", `/escalation-requests/${id}/decline`, { body: { reason } });
