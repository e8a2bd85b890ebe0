// The admin screens' resources: one queryOptions factory per list or item, and the writes that change them.
// Types come from the server's zod schemas, so the contract has one source.
import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as authority from "../../../src/schemas/authority.schemas";
import type * as calendar from "../../../src/schemas/calendar.schemas";
import type * as mail from "../../../src/schemas/email-template.schemas";
import type * as mailbox from "../../../src/schemas/mailbox.schemas";
import type * as org from "../../../src/schemas/organisation.schemas";
import type * as rule from "../../../src/schemas/rule.schemas";
import type * as settings from "../../../src/schemas/settings.schemas";
import type * as sla from "../../../src/schemas/sla.schemas";
import type * as webhook from "../../../src/schemas/webhook.schemas";
import { apiFetch, fetchAllPages, queryString } from "./client";

export type Level = z.infer<typeof org.LevelDto>;
export type Team = z.infer<typeof org.TeamDto>;
export type Agent = z.infer<typeof org.AgentDto>;
export type CreateLevelInput = z.input<typeof org.CreateLevelBody>;
export type UpdateLevelInput = Partial<CreateLevelInput>;
export type CreateTeamInput = z.input<typeof org.CreateTeamBody>;
export type UpdateTeamInput = z.input<typeof org.UpdateTeamBody>;
export type CreateAgentInput = z.input<typeof org.CreateAgentBody>;
export type UpdateAgentInput = z.input<typeof org.UpdateAgentBody>;
export type RoleLimit = z.infer<typeof authority.RoleLimitDto>;
export type RoleLimitInput = z.input<typeof authority.RoleLimitBody>;
export type Calendar = z.infer<typeof calendar.CalendarDto>;
export type CreateCalendarInput = z.input<typeof calendar.CreateCalendarBody>;
export type UpdateCalendarInput = z.input<typeof calendar.UpdateCalendarBody>;
export type SlaPolicy = z.infer<typeof sla.SlaPolicyDto>;
export type CreateSlaPolicyInput = z.input<typeof sla.CreateSlaPolicyBody>;
export type UpdateSlaPolicyInput = z.input<typeof sla.UpdateSlaPolicyBody>;
export type Removal = z.infer<typeof sla.RemovalDto>;
export type Rule = z.infer<typeof rule.RuleDto>;
export type CreateRuleInput = z.input<typeof rule.CreateRuleBody>;
export type UpdateRuleInput = z.input<typeof rule.UpdateRuleBody>;
export type Evaluation = z.infer<typeof rule.TicketEvaluationDto>;
export type Webhook = z.infer<typeof webhook.WebhookDto>;
export type WebhookWithSecret = z.infer<typeof webhook.WebhookWithSecretDto>;
export type CreateWebhookInput = z.input<typeof webhook.CreateWebhookBody>;
export type UpdateWebhookInput = z.input<typeof webhook.UpdateWebhookBody>;
export type Mailbox = z.infer<typeof mailbox.MailboxDto>;
export type CreateMailboxInput = z.input<typeof mailbox.CreateMailboxBody>;
export type UpdateMailboxInput = z.input<typeof mailbox.UpdateMailboxBody>;
export type PollResult = z.infer<typeof mailbox.PollResultDto>;
export type EmailTemplate = z.infer<typeof mail.EmailTemplateDto>;
export type EmailTemplateInput = z.input<typeof mail.PutEmailTemplateBody>;
export type EmailPreview = z.infer<typeof mail.EmailTemplatePreviewDto>;
export type Settings = z.infer<typeof settings.SettingsDto>;


const list = <T>(key: string, path: string) =>
  queryOptions({ queryKey: ["admin", key] as const, queryFn: () => fetchAllPages<T>(path) });

export const levelsQuery = () => list<Level>("levels", "/levels");
export const teamsQuery = () => list<Team>("teams", "/teams");
export const agentsQuery = () => list<Agent>("agents", "/agents");
export const calendarsQuery = () => list<Calendar>("calendars", "/calendars");
export const slaPoliciesQuery = () => list<SlaPolicy>("sla-policies", "/sla-policies");
export const rulesQuery = () => list<Rule>("rules", "/escalation-rules");
export const webhooksQuery = () => list<Webhook>("webhooks", "/webhooks");
export const mailboxesQuery = () => list<Mailbox>("mailboxes", "/mailboxes");
export const emailTemplatesQuery = () => list<EmailTemplate>("email-templates", "/email-templates");

export const roleLimitsQuery = () =>
  queryOptions({ queryKey: ["admin", "authority-limits"] as const, queryFn: () => apiFetch<RoleLimit[]>("GET", "/authority-limits") });
export const settingsQuery = () =>
  queryOptions({ queryKey: ["admin", "settings"] as const, queryFn: () => apiFetch<Settings>("GET", "/settings") });
export const webhookEventsQuery = () =>
  queryOptions({
    queryKey: ["admin", "webhook-events"] as const,
    queryFn: async () => (await apiFetch<{ events: string[] }>("GET", "/webhooks/events")).events,
    staleTime: Infinity,
  });

/** When `duration` (ISO 8601) of the calendar's working time has passed after `start`. */
export const calendarDueQuery = (id: string, start: string, duration: string) =>
  queryOptions({
    queryKey: ["admin", "calendars", id, "due", start, duration] as const,
    queryFn: async () => (await apiFetch<{ due: string }>("GET", `/calendars/${id}/due${queryString({ start, duration })}`)).due,
    staleTime: 0,
  });

/** Which active rules the ticket with this number would fire now, and what they would do (nothing is written). */
export function evaluateTicket(number: number, trigger: Evaluation["trigger"]): Promise<Evaluation> {
  return apiFetch<Evaluation>("POST", "/policy/evaluate-ticket", { body: { number, trigger } });
}

/** Invalidates one admin list after a write (and the flowchart's paths, which every matrix change redraws). */
export function invalidateAdmin(qc: QueryClient, key: string): Promise<void> {
  void qc.invalidateQueries({ queryKey: ["policy"] });
  return qc.invalidateQueries({ queryKey: ["admin", key] });
}

/** The writes of the admin screens; each screen invalidates the list it changed with `invalidateAdmin`. */
export const adminApi = {
  createLevel: (b: CreateLevelInput) => apiFetch<Level>("POST", "/levels", { body: b }),
  updateLevel: (id: string, b: UpdateLevelInput) => apiFetch<Level>("PATCH", `/levels/${id}`, { body: b }),
  createTeam: (b: CreateTeamInput) => apiFetch<Team>("POST", "/teams", { body: b }),
  updateTeam: (id: string, b: UpdateTeamInput) => apiFetch<Team>("PATCH", `/teams/${id}`, { body: b }),
  createAgent: (b: CreateAgentInput) => apiFetch<Agent>("POST", "/agents", { body: b }),
  updateAgent: (id: string, b: UpdateAgentInput) => apiFetch<Agent>("PATCH", `/agents/${id}`, { body: b }),
  setWorkingHours: (id: string, calendarId: string | null) => apiFetch<Agent>("PUT", `/agents/${id}/working-hours`, { body: { calendarId } }),
  deactivateAgent: (id: string) => apiFetch<Agent>("DELETE", `/agents/${id}`),
  setRoleLimits: (b: RoleLimitInput[]) => apiFetch<RoleLimit[]>("PUT", "/authority-limits", { body: b }),
  createCalendar: (b: CreateCalendarInput) => apiFetch<Calendar>("POST", "/calendars", { body: b }),
  updateCalendar: (id: string, b: UpdateCalendarInput) => apiFetch<Calendar>("PATCH", `/calendars/${id}`, { body: b }),
  createSlaPolicy: (b: CreateSlaPolicyInput) => apiFetch<SlaPolicy>("POST", "/sla-policies", { body: b }),
  updateSlaPolicy: (id: string, b: UpdateSlaPolicyInput) => apiFetch<SlaPolicy>("PATCH", `/sla-policies/${id}`, { body: b }),
  removeSlaPolicy: (id: string) => apiFetch<Removal>("DELETE", `/sla-policies/${id}`),
  createRule: (b: CreateRuleInput) => apiFetch<Rule>("POST", "/escalation-rules", { body: b }),
  updateRule: (id: string, b: UpdateRuleInput) => apiFetch<Rule>("PATCH", `/escalation-rules/${id}`, { body: b }),
  removeRule: (id: string) => apiFetch<Removal>("DELETE", `/escalation-rules/${id}`),
  createWebhook: (b: CreateWebhookInput) => apiFetch<WebhookWithSecret>("POST", "/webhooks", { body: b }),
  updateWebhook: (id: string, b: UpdateWebhookInput) => apiFetch<Webhook>("PATCH", `/webhooks/${id}`, { body: b }),
  deleteWebhook: (id: string) => apiFetch<void>("DELETE", `/webhooks/${id}`),
  rotateWebhookSecret: (id: string) => apiFetch<WebhookWithSecret>("POST", `/webhooks/${id}/rotate-secret`, { body: {} }),
  createMailbox: (b: CreateMailboxInput) => apiFetch<Mailbox>("POST", "/mailboxes", { body: b }),
  updateMailbox: (id: string, b: UpdateMailboxInput) => apiFetch<Mailbox>("PATCH", `/mailboxes/${id}`, { body: b }),
  deleteMailbox: (id: string) => apiFetch<void>("DELETE", `/mailboxes/${id}`),
  pollMailbox: (id: string) => apiFetch<PollResult>("POST", `/mailboxes/${id}/poll`),
  saveEmailTemplate: (key: string, b: EmailTemplateInput) => apiFetch<EmailTemplate>("PUT", `/email-templates/${key}`, { body: b }),
  resetEmailTemplate: (key: string) => apiFetch<EmailTemplate>("DELETE", `/email-templates/${key}`),
  previewEmailTemplate: (key: string, draft: Partial<EmailTemplateInput>) =>
    apiFetch<EmailPreview>("POST", `/email-templates/${key}/preview`, { body: draft }),
  updateSettings: (b: { customerMayChoosePriority: boolean }) => apiFetch<Settings>("PUT", "/settings", { body: b }),
};
