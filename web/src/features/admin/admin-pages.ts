import type { MessageKey } from "../../i18n";

/** Every admin page, in the order the index and the sub-navigation show them. */
export const ADMIN_PAGES: { path: string; title: MessageKey; summary: MessageKey }[] = [
  { path: "/admin/levels", title: "admin.levels.title", summary: "admin.levels.intro" },
  { path: "/admin/teams", title: "admin.teams.title", summary: "admin.teams.intro" },
  { path: "/admin/agents", title: "admin.agents.title", summary: "admin.agents.intro" },
  { path: "/admin/calendars", title: "admin.calendars.title", summary: "admin.calendars.intro" },
  { path: "/admin/sla", title: "admin.sla.title", summary: "admin.sla.intro" },
  { path: "/admin/rules", title: "admin.rules.title", summary: "admin.rules.intro" },
  { path: "/admin/flowchart", title: "admin.flowchart.title", summary: "admin.flowchart.intro" },
  { path: "/admin/policy", title: "admin.policy.title", summary: "admin.policy.intro" },
  { path: "/admin/webhooks", title: "admin.webhooks.title", summary: "admin.webhooks.intro" },
  { path: "/admin/mailboxes", title: "admin.mailboxes.title", summary: "admin.mailboxes.intro" },
  { path: "/admin/templates", title: "admin.templates.title", summary: "admin.templates.intro" },
  { path: "/admin/settings", title: "admin.settings.title", summary: "admin.settings.intro" },
];
