// The customer portal's resources: the customer's tickets and what is on them, the forms' settings, and
// sign-in by mailed link. Keys follow the app's scheme, so the live stream's invalidations reach them.
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as portal from "../../../src/schemas/portal.schemas";
import type * as requests from "../../../src/schemas/escalation-request.schemas";
import type * as mailbox from "../../../src/schemas/mailbox.schemas";
import { apiFetch, fetchAllPages, queryString } from "./client";
import { sessionQuery } from "./session";
import type { CustomerTicket, Message, Page, TicketEvent, User } from "./types";

export type PortalSettings = z.infer<typeof portal.PortalSettingsDto>;
export type NextUpdate = z.infer<typeof portal.NextUpdateDto>;
export type EscalationRequest = z.infer<typeof requests.EscalationRequestDto>;
export type Attachment = z.infer<typeof mailbox.AttachmentDto>;
export type UploadFile = z.input<typeof portal.UploadFile>;
export type MessageWithFiles = z.infer<typeof portal.MessageWithFilesDto>;
export type MagicLinkAccepted = z.infer<typeof portal.MagicLinkAcceptedDto>;
export type PortalPriority = PortalSettings["priorities"][number];


/** The signed-in customer's tickets, newest first (the server shows a customer only their own). */
export const portalTicketsQuery = () =>
  queryOptions({
    queryKey: ["tickets", "list", "portal"] as const,
    queryFn: async () => (await apiFetch<Page<CustomerTicket>>("GET", `/tickets${queryString({ limit: 100 })}`)).data,
  });

/** One of the customer's tickets by number. */
export const portalTicketQuery = (number: number) =>
  queryOptions({
    queryKey: ["tickets", number] as const,
    queryFn: () => apiFetch<CustomerTicket>("GET", `/tickets/by-number/${number}`),
  });

export const portalMessagesQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "messages"] as const, queryFn: () => fetchAllPages<Message>(`/tickets/${ticketId}/messages`) });

export const portalEventsQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "events"] as const, queryFn: () => fetchAllPages<TicketEvent>(`/tickets/${ticketId}/events`) });

export const portalAttachmentsQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "attachments"] as const, queryFn: () => fetchAllPages<Attachment>(`/tickets/${ticketId}/attachments`) });

export const portalEscalationRequestsQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "escalation-requests"] as const,
    queryFn: () => fetchAllPages<EscalationRequest>(`/tickets/${ticketId}/escalation-requests`),
  });

export const nextUpdateQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "next-update"] as const, queryFn: () => apiFetch<NextUpdate>("GET", `/tickets/${ticketId}/next-update`) });

export const portalSettingsQuery = () =>
  queryOptions({ queryKey: ["portal", "settings"] as const, queryFn: () => apiFetch<PortalSettings>("GET", "/portal/settings"), staleTime: 5 * 60_000 });

/** Asks for a sign-in link; the answer is the same whether or not the address has an account. */
export function requestMagicLink(email: string): Promise<MagicLinkAccepted> {
  return apiFetch<MagicLinkAccepted>("POST", "/auth/magic-link", { body: { email } });
}

/** Signs in with a mailed link's token; the session cookie is set by the answer. */
export async function verifyMagicLink(queryClient: QueryClient, token: string): Promise<User> {
  const { user } = await apiFetch<{ user: User }>("POST", "/auth/magic-link/verify", { body: { token } });
  queryClient.clear();
  queryClient.setQueryData(sessionQuery().queryKey, user);
  return user;
}

/** Reads a picked file as base64 (without the data-URL prefix), as the upload endpoint takes it. */
export function fileToUpload(file: File): Promise<UploadFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error("could not read the file"));
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ filename: file.name, contentType: (file.type || "application/octet-stream") as UploadFile["contentType"], content: url.slice(url.indexOf(",") + 1) });
    };
    reader.readAsDataURL(file);
  });
}

/** The customer's reply, with files when there are any; refreshes the conversation and the ticket. */
export async function sendReply(queryClient: QueryClient, ticket: CustomerTicket, body: string, files: File[]): Promise<void> {
  if (files.length > 0) {
    const attachments = await Promise.all(files.map(fileToUpload));
    await apiFetch<MessageWithFiles>("POST", `/tickets/${ticket.id}/messages/with-files`, { body: { body, attachments } });
  } else {
    await apiFetch<Message>("POST", `/tickets/${ticket.id}/messages`, { body: { body } });
  }
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] }),
    queryClient.invalidateQueries({ queryKey: ["tickets", ticket.number] }),
    queryClient.invalidateQueries({ queryKey: ["tickets", "list"] }),
  ]);
}

/** Asks for the ticket to be escalated; the guardrail's refusal comes back as an ApiProblem. */
export async function requestTicketEscalation(queryClient: QueryClient, ticket: CustomerTicket, reason: string): Promise<EscalationRequest> {
  const request = await apiFetch<EscalationRequest>("POST", `/tickets/${ticket.id}/escalation-requests`, { body: { reason } });
  await queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] });
  return request;
}

export type NewPortalTicket = { subject: string; description: string; category?: string | undefined; priority?: PortalPriority | undefined };

/** Opens a ticket as the signed-in customer (the web channel). */
export async function createPortalTicket(queryClient: QueryClient, input: NewPortalTicket): Promise<CustomerTicket> {
  const ticket = await apiFetch<CustomerTicket>("POST", "/tickets", {
    body: { subject: input.subject, description: input.description, channel: "web", ...(input.category ? { category: input.category } : {}), ...(input.priority ? { priority: input.priority } : {}) },
  });
  await queryClient.invalidateQueries({ queryKey: ["tickets", "list"] });
  return ticket;
}
