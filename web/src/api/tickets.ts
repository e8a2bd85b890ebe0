// The ticket page's resources: the ticket by number, its messages, timeline, clocks, attachments and
// presence, the customer panel, canned replies, and the mutations that change them.
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as canned from "../../../src/schemas/canned-reply.schemas";
import type * as customerSummary from "../../../src/schemas/customer-summary.schemas";
import type * as mailbox from "../../../src/schemas/mailbox.schemas";
import type * as organisation from "../../../src/schemas/organisation.schemas";
import type * as presence from "../../../src/schemas/presence.schemas";
import type * as sla from "../../../src/schemas/sla.schemas";
import type * as ticketSchemas from "../../../src/schemas/ticket.schemas";
import { apiFetch, fetchAllPages, queryString } from "./client";
import type { Message, Ticket, TicketEvent } from "./types";

export type SlaClock = z.infer<typeof sla.ClockDto>;
export type Attachment = z.infer<typeof mailbox.AttachmentDto>;
export type CannedReply = z.infer<typeof canned.CannedReplyDto>;
export type RenderedCannedReply = z.infer<typeof canned.RenderedCannedReplyDto>;
export type Presence = z.infer<typeof presence.PresenceDto>;
export type PresenceList = z.infer<typeof presence.PresenceListDto>;
export type PresenceState = Presence["state"];
export type CustomerSummary = z.infer<typeof customerSummary.CustomerSummaryDto>;
export type Agent = z.infer<typeof organisation.AgentDto>;
export type Team = z.infer<typeof organisation.TeamDto>;
export type TicketPatch = z.input<typeof ticketSchemas.UpdateTicketBody>;
export type NewMessage = z.input<typeof ticketSchemas.CreateMessageBody>;


/** The staff view of a ticket by its number (what URLs carry). */
export const ticketQuery = (number: number) =>
  queryOptions({
    queryKey: ["tickets", number] as const,
    queryFn: () => apiFetch<Ticket>("GET", `/tickets/by-number/${number}`),
  });

/** A ticket's messages, oldest first. */
export const ticketMessagesQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "messages"] as const, queryFn: () => fetchAllPages<Message>(`/tickets/${ticketId}/messages`) });

/** A ticket's timeline, oldest first; the last event's id is the version the composer sends. */
export const ticketEventsQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "events"] as const, queryFn: () => fetchAllPages<TicketEvent>(`/tickets/${ticketId}/events`) });

/** A ticket's SLA clocks (business time left computed by the server), refreshed each minute so chips stay current. */
export const ticketClocksQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "clocks"] as const,
    queryFn: async () => (await apiFetch<{ data: SlaClock[] }>("GET", `/tickets/${ticketId}/clocks`)).data,
    refetchInterval: 60_000,
  });

/** The files that came with a ticket's mails. */
export const ticketAttachmentsQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "attachments"] as const, queryFn: () => fetchAllPages<Attachment>(`/tickets/${ticketId}/attachments`) });

/** Who else is on the ticket; refetched now and then because presences lapse without a message. */
export const ticketPresenceQuery = (ticketId: string) =>
  queryOptions({
    queryKey: ["ticket", ticketId, "presence"] as const,
    queryFn: async () => (await apiFetch<PresenceList>("GET", `/tickets/${ticketId}/presence`)).data,
    refetchInterval: 15_000,
  });

/** The ticket's customer: account, tier, value, open tickets. */
export const ticketCustomerQuery = (customerId: string) =>
  queryOptions({ queryKey: ["customers", customerId, "summary"] as const, queryFn: () => apiFetch<CustomerSummary>("GET", `/customers/${customerId}`) });

/** Agents and teams, for the assignee control and the names on the timeline. */
export const staffDirectoryQuery = () =>
  queryOptions({
    queryKey: ["ticket-directory"] as const,
    queryFn: async () => {
      const [agents, teams] = await Promise.all([fetchAllPages<Agent>("/agents"), fetchAllPages<Team>("/teams")]);
      return { agents, teams };
    },
    staleTime: 5 * 60_000,
  });

/** Canned replies by title. */
export const cannedRepliesQuery = () =>
  queryOptions({ queryKey: ["canned-replies"] as const, queryFn: () => fetchAllPages<CannedReply>("/canned-replies"), staleTime: 60_000 });

/** Changes a ticket's fields; the ticket and its timeline are refetched. */
export async function updateTicket(queryClient: QueryClient, ticket: Ticket, patch: TicketPatch): Promise<Ticket> {
  const updated = await apiFetch<Ticket>("PATCH", `/tickets/${ticket.id}`, { body: patch });
  queryClient.setQueryData(ticketQuery(ticket.number).queryKey, updated);
  void queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] });
  void queryClient.invalidateQueries({ queryKey: ["tickets", "list"] });
  return updated;
}

/**
 * Adds a reply or an internal note. With `expectedVersion` (the last event the writer saw) the server refuses
 * with 409 `ticket_changed` if someone else changed the ticket since.
 */
export async function postMessage(queryClient: QueryClient, ticket: Ticket, message: NewMessage): Promise<Message> {
  const created = await apiFetch<Message>("POST", `/tickets/${ticket.id}/messages`, { body: message });
  void queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] });
  void queryClient.invalidateQueries({ queryKey: ticketQuery(ticket.number).queryKey });
  return created;
}

/** A canned reply with its placeholders filled for the ticket and the signed-in agent. */
export const renderCannedReply = (cannedId: string, ticketId: string) =>
  apiFetch<RenderedCannedReply>("GET", `/canned-replies/${cannedId}/render${queryString({ ticketId })}`);

/** The heartbeat of this agent's presence on a ticket. */
export const sendPresence = (ticketId: string, state: PresenceState) => apiFetch<PresenceList>("PUT", `/tickets/${ticketId}/presence`, { body: { state } });

/** This agent left the ticket. */
export const leaveTicket = (ticketId: string) => apiFetch<void>("DELETE", `/tickets/${ticketId}/presence`);
