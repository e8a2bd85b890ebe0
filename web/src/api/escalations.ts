import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as organisation from "../../../src/schemas/organisation.schemas";
import type * as preview from "../../../src/schemas/escalation-preview.schemas";
import type * as ticket from "../../../src/schemas/ticket.schemas";
import { apiFetch, fetchAllPages } from "./client";
import type { Escalation, Message } from "./types";

export type EscalationPreview = z.infer<typeof preview.EscalationPreviewDto>;
export type EscalateBody = z.input<typeof ticket.CreateEscalationBody>;
export type DeEscalateBody = z.input<typeof ticket.DeEscalateBody>;
export type EscalationReason = { code: Escalation["reason"]; label: string; description: string };
export type Level = z.infer<typeof organisation.LevelDto>;
export type Team = z.infer<typeof organisation.TeamDto>;
export type Agent = z.infer<typeof organisation.AgentDto>;

/** Levels, teams and agents by id, for showing names and choosing targets. */
export type Directory = { levels: Map<string, Level>; teams: Map<string, Team>; agents: Map<string, Agent> };


/** A ticket's escalations, oldest first. */
export const escalationsQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "escalations"] as const, queryFn: () => fetchAllPages<Escalation>(`/tickets/${ticketId}/escalations`) });

/** The reason codes with their labels. */
export const escalationReasonsQuery = () =>
  queryOptions({
    queryKey: ["escalation-reasons"] as const,
    queryFn: async () => (await apiFetch<{ data: EscalationReason[] }>("GET", "/escalation-reasons")).data,
    staleTime: Infinity,
  });

/** The organisation's levels, teams and agents (read by all staff); its own key so other screens' lists keep theirs. */
export const directoryQuery = () =>
  queryOptions({
    queryKey: ["escalation", "directory"] as const,
    queryFn: async (): Promise<Directory> => {
      const [levels, teams, agents] = await Promise.all([fetchAllPages<Level>("/levels"), fetchAllPages<Team>("/teams"), fetchAllPages<Agent>("/agents")]);
      return { levels: new Map(levels.map((l) => [l.id, l])), teams: new Map(teams.map((t) => [t.id, t])), agents: new Map(agents.map((a) => [a.id, a])) };
    },
    staleTime: 5 * 60_000,
  });

/** The ticket's messages, for the handover summary (under the ticket's key, so live events refresh it). */
export const handoverMessagesQuery = (ticketId: string) =>
  queryOptions({ queryKey: ["ticket", ticketId, "messages", "handover"] as const, queryFn: () => fetchAllPages<Message>(`/tickets/${ticketId}/messages`) });

/** What an escalation would do, written nowhere. */
export const previewEscalation = (ticketId: string, body: EscalateBody) => apiFetch<EscalationPreview>("POST", `/tickets/${ticketId}/escalations/preview`, { body });

export const escalateTicket = (ticketId: string, body: EscalateBody) => apiFetch<Escalation>("POST", `/tickets/${ticketId}/escalations`, { body });

export const acknowledgeEscalation = (escalationId: string) => apiFetch<Escalation>("POST", `/escalations/${escalationId}/acknowledge`);

export const deEscalateTicket = (ticketId: string, body: DeEscalateBody) => apiFetch<Escalation>("POST", `/tickets/${ticketId}/de-escalate`, { body });

/** After an escalation changed: the ticket (by id and by number) and every list showing it. */
export function invalidateAfterEscalation(queryClient: QueryClient, ticket: { id: string; number: number }): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: ["ticket", ticket.id] }),
    queryClient.invalidateQueries({ queryKey: ["tickets", ticket.number] }),
    queryClient.invalidateQueries({ queryKey: ["tickets", "list"] }),
    queryClient.invalidateQueries({ queryKey: ["inbox"] }),
  ]).then(() => undefined);
}
