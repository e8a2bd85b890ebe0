import { queryOptions } from "@tanstack/react-query";
import type { z } from "zod";
import type * as authority from "../../../src/schemas/authority.schemas";
import { apiFetch, queryString } from "./client";
import type { Page, Ticket } from "./types";

export type Approval = z.infer<typeof authority.ApprovalDto>;
export type ApprovalStatus = Approval["status"];

/** The caller's approvals of one status, oldest request first. */
export const approvalsQuery = (status: ApprovalStatus) =>
  queryOptions({
    queryKey: ["approvals", status] as const,
    queryFn: async () => (await apiFetch<Page<Approval>>("GET", `/approvals${queryString({ status, limit: 200 })}`)).data,
  });

/** The ticket an approval is about, for its number and subject (null when the caller may not see it). */
export const approvalTicketQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "summary"] as const,
    queryFn: async () => {
      try {
        return await apiFetch<Ticket>("GET", `/tickets/${ticketId}`);
      } catch {
        return null;
      }
    },
    staleTime: 60_000,
  });

export const approve = (approvalId: string, reason?: string) => apiFetch<Approval>("POST", `/approvals/${approvalId}/approve`, { body: reason ? { reason } : {} });

export const deny = (approvalId: string, reason: string) => apiFetch<Approval>("POST", `/approvals/${approvalId}/deny`, { body: { reason } });
