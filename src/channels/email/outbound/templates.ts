import type { TemplateParts, TemplateValues } from "./render.js";

/**
 * The catalogue of outgoing mail: one key per kind of mail, who it goes to, the placeholders it may use
 * and its built-in text. An admin may override a template (the `email_templates` table); the placeholders
 * stay those of the key, so a customer template can never be edited to show internal data such as a
 * handover note.
 */
export const EMAIL_TEMPLATE_KEYS = [
  "customer.ticket_received",
  "customer.agent_reply",
  "customer.status_changed",
  "customer.escalation_taken_over",
  "customer.escalation_request_declined",
  "customer.periodic_update",
  "customer.chat_verification",
  "customer.magic_link",
  "agent.assigned",
  "agent.escalated_to_you",
  "agent.approval_needed",
  "agent.sla_warning",
  "agent.sla_breached",
  "agent.rule_notify",
  "agent.escalation_requested",
] as const;
export type EmailTemplateKey = (typeof EMAIL_TEMPLATE_KEYS)[number];
export type Audience = "customer" | "agent";

export type EmailTemplateSpec = {
  key: EmailTemplateKey;
  audience: Audience;
  /** When the mail is sent, in a sentence. */
  description: string;
  placeholders: readonly string[];
  builtIn: TemplateParts;
  /**
   * Not part of a ticket's mail thread: no `[#number]` in its subject, no threading headers, and its
   * Message-ID is not recorded, so a reply to it never lands on the ticket.
   */
  standalone?: true;
};

/** Placeholders of every customer mail: nothing internal (no priority, no notes, no agents' addresses). */
const CUSTOMER_COMMON = ["ticket.number", "ticket.subject", "ticket.status", "ticket.url", "customer.name", "team.name", "recipient.name"] as const;
/** Placeholders of every agent mail. */
const AGENT_COMMON = [
  "ticket.number",
  "ticket.subject",
  "ticket.status",
  "ticket.priority",
  "ticket.url",
  "customer.name",
  "customer.email",
  "team.name",
  "level.name",
  "recipient.name",
] as const;

const SIGNATURE = "Your support team";

const customerHtml = (body: string) =>
  `<p>Hello {{customer.name}},</p>\n${body}\n<p>${SIGNATURE}</p>\n<p style="color:#666;font-size:12px">Ticket #{{ticket.number}} · <a href="{{ticket.url}}">{{ticket.url}}</a> · reply to this mail to add to your request.</p>`;
const agentHtml = (body: string) =>
  `<p>Hello {{recipient.name}},</p>\n${body}\n<p><a href="{{ticket.url}}">Open ticket #{{ticket.number}}</a></p>\n<p style="color:#666;font-size:12px">A notification from Tierline.</p>`;
const customerFooter = "\n\n" + SIGNATURE + "\n\n--\nTicket #{{ticket.number}}: {{ticket.url}}\nReply to this mail to add to your request.\n";
const agentFooter = "\n\nOpen the ticket: {{ticket.url}}\n\n--\nA notification from Tierline.\n";

const SPECS: EmailTemplateSpec[] = [
  {
    key: "customer.ticket_received",
    audience: "customer",
    description: "To the customer when their ticket is opened.",
    placeholders: [...CUSTOMER_COMMON, "ticket.created_at"],
    builtIn: {
      subject: "[#{{ticket.number}}] We received your request: {{ticket.subject}}",
      text:
        "Hello {{customer.name}},\n\nthank you for contacting us. We have received your request \"{{ticket.subject}}\" ({{ticket.created_at}}) as ticket #{{ticket.number}}; our {{team.name}} team will get back to you soon." +
        customerFooter,
      html: customerHtml(
        `<p>thank you for contacting us. We have received your request “{{ticket.subject}}” ({{ticket.created_at}}) as ticket #{{ticket.number}}; our {{team.name}} team will get back to you soon.</p>`,
      ),
    },
  },
  {
    key: "customer.agent_reply",
    audience: "customer",
    description: "To the customer when an agent writes a public reply; carries the reply.",
    placeholders: [...CUSTOMER_COMMON, "message.body", "agent.name"],
    builtIn: {
      subject: "Re: [#{{ticket.number}}] {{ticket.subject}}",
      text: "{{message.body}}\n\n{{agent.name}}\n\n--\nTicket #{{ticket.number}}: {{ticket.url}}\nReply to this mail to answer.\n",
      html: `<div>{{message.body}}</div>\n<p>{{agent.name}}</p>\n<p style="color:#666;font-size:12px">Ticket #{{ticket.number}} · <a href="{{ticket.url}}">{{ticket.url}}</a> · reply to this mail to answer.</p>`,
    },
  },
  {
    key: "customer.status_changed",
    audience: "customer",
    description: "To the customer when their ticket changes status (pending, on hold, resolved, closed, reopened).",
    placeholders: [...CUSTOMER_COMMON, "status.from", "status.to"],
    builtIn: {
      subject: "[#{{ticket.number}}] Your request is now {{status.to}}: {{ticket.subject}}",
      text: "Hello {{customer.name}},\n\nyour request \"{{ticket.subject}}\" (ticket #{{ticket.number}}) is now {{status.to}}; it was {{status.from}}." + customerFooter,
      html: customerHtml(`<p>your request “{{ticket.subject}}” (ticket #{{ticket.number}}) is now <strong>{{status.to}}</strong>; it was {{status.from}}.</p>`),
    },
  },
  {
    key: "customer.periodic_update",
    audience: "customer",
    description:
      "To the customer when the SLA asks for a periodic update and none was given in time: a short note that the request is still being worked on.",
    placeholders: CUSTOMER_COMMON,
    builtIn: {
      subject: "[#{{ticket.number}}] An update on your request: {{ticket.subject}}",
      text:
        "Hello {{customer.name}},\n\nwe are still working on your request \"{{ticket.subject}}\" (ticket #{{ticket.number}}), now {{ticket.status}} with our {{team.name}} team. We will write again as soon as there is news." +
        customerFooter,
      html: customerHtml(
        `<p>we are still working on your request “{{ticket.subject}}” (ticket #{{ticket.number}}), now {{ticket.status}} with our {{team.name}} team. We will write again as soon as there is news.</p>`,
      ),
    },
  },
  {
    key: "customer.escalation_taken_over",
    audience: "customer",
    description: "To the customer when the team their ticket was escalated to takes it over (acknowledges the escalation).",
    placeholders: CUSTOMER_COMMON,
    builtIn: {
      subject: "[#{{ticket.number}}] Your request is now with our {{team.name}} team",
      text:
        "Hello {{customer.name}},\n\nyour request \"{{ticket.subject}}\" (ticket #{{ticket.number}}) is now with our {{team.name}} specialists, who have taken it over and will be in touch." +
        customerFooter,
      html: customerHtml(`<p>your request “{{ticket.subject}}” (ticket #{{ticket.number}}) is now with our {{team.name}} specialists, who have taken it over and will be in touch.</p>`),
    },
  },
  {
    key: "customer.escalation_request_declined",
    audience: "customer",
    description: "To the customer when their request to escalate the ticket is declined; carries the answer.",
    placeholders: [...CUSTOMER_COMMON, "request.reason", "request.answer"],
    builtIn: {
      subject: "[#{{ticket.number}}] About your escalation request",
      text:
        "Hello {{customer.name}},\n\nwe have looked at your request to escalate ticket #{{ticket.number}} (\"{{request.reason}}\"). We are keeping it with our {{team.name}} team for now:\n\n{{request.answer}}" +
        customerFooter,
      html: customerHtml(
        `<p>we have looked at your request to escalate ticket #{{ticket.number}} (“{{request.reason}}”). We are keeping it with our {{team.name}} team for now:</p>\n<blockquote>{{request.answer}}</blockquote>`,
      ),
    },
  },
  {
    key: "customer.chat_verification",
    audience: "customer",
    description:
      "To the address a web-chat visitor typed in, with the link that confirms it. Until it is confirmed the chat stays with an unverified contact, and no other mail goes to the address for it. Not threaded with the ticket.",
    placeholders: ["customer.name", "recipient.name", "verification.url", "verification.expires_at"],
    standalone: true,
    builtIn: {
      subject: "Please confirm your e-mail address for your chat with us",
      text:
        "Hello {{customer.name}},\n\nsomeone, probably you, started a chat with our support team and gave this e-mail address. To connect the chat to your customer account, confirm the address by opening this link before {{verification.expires_at}}:\n\n{{verification.url}}\n\nIf you did not start a chat, ignore this mail: nothing is shared with the chat until the address is confirmed.\n\n" +
        SIGNATURE +
        "\n",
      html:
        `<p>Hello {{customer.name}},</p>\n<p>someone, probably you, started a chat with our support team and gave this e-mail address. To connect the chat to your customer account, confirm the address before {{verification.expires_at}}:</p>\n<p><a href="{{verification.url}}">Confirm my e-mail address</a></p>\n<p>If you did not start a chat, ignore this mail: nothing is shared with the chat until the address is confirmed.</p>\n<p>${SIGNATURE}</p>`,
    },
  },
  {
    key: "customer.magic_link",
    audience: "customer",
    description:
      "To a customer who asked the portal for a sign-in link: the single-use link that signs them in, valid for 15 minutes. About no ticket, so not threaded.",
    placeholders: ["customer.name", "recipient.name", "sign_in.url", "sign_in.expires_at"],
    standalone: true,
    builtIn: {
      subject: "Your sign-in link",
      text:
        "Hello {{customer.name}},\n\nopen this link to sign in to our support portal. It works once, until {{sign_in.expires_at}}:\n\n{{sign_in.url}}\n\nIf you did not ask to sign in, ignore this mail: nobody can sign in without the link.\n\n" +
        SIGNATURE +
        "\n",
      html:
        `<p>Hello {{customer.name}},</p>\n<p>open this link to sign in to our support portal. It works once, until {{sign_in.expires_at}}:</p>\n<p><a href="{{sign_in.url}}">Sign in to the support portal</a></p>\n<p>If you did not ask to sign in, ignore this mail: nobody can sign in without the link.</p>\n<p>${SIGNATURE}</p>`,
    },
  },
  {
    key: "agent.assigned",
    audience: "agent",
    description: "To an agent when a ticket is assigned to them by someone else.",
    placeholders: AGENT_COMMON,
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] Assigned to you: {{ticket.subject}}",
      text: "Hello {{recipient.name}},\n\nticket #{{ticket.number}} \"{{ticket.subject}}\" from {{customer.name}} ({{ticket.priority}} priority, {{team.name}}) is now assigned to you." + agentFooter,
      html: agentHtml(`<p>ticket #{{ticket.number}} “{{ticket.subject}}” from {{customer.name}} ({{ticket.priority}} priority, {{team.name}}) is now assigned to you.</p>`),
    },
  },
  {
    key: "agent.escalated_to_you",
    audience: "agent",
    description: "To the agent an escalation names, or else the leads of the team it goes to; carries the handover note.",
    placeholders: [...AGENT_COMMON, "escalation.kind", "escalation.reason", "escalation.note", "escalation.from_team", "escalation.by"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] Escalated to you: {{ticket.subject}}",
      text:
        "Hello {{recipient.name}},\n\nticket #{{ticket.number}} \"{{ticket.subject}}\" ({{ticket.priority}} priority) was escalated from {{escalation.from_team}} to {{team.name}} ({{level.name}}) by {{escalation.by}}: {{escalation.kind}}, reason {{escalation.reason}}.\n\nHandover note:\n{{escalation.note}}\n\nPlease acknowledge the escalation." +
        agentFooter,
      html: agentHtml(
        `<p>ticket #{{ticket.number}} “{{ticket.subject}}” ({{ticket.priority}} priority) was escalated from {{escalation.from_team}} to {{team.name}} ({{level.name}}) by {{escalation.by}}: {{escalation.kind}}, reason {{escalation.reason}}.</p>\n<p><strong>Handover note</strong></p>\n<blockquote>{{escalation.note}}</blockquote>\n<p>Please acknowledge the escalation.</p>`,
      ),
    },
  },
  {
    key: "agent.approval_needed",
    audience: "agent",
    description: "To the approver of a resolution above the requester's authority.",
    placeholders: [...AGENT_COMMON, "approval.type", "approval.amount", "approval.currency", "approval.note", "approval.requested_by", "approval.due_at", "approval.granted_before"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] Approval needed: {{approval.type}} of {{approval.amount}} {{approval.currency}}",
      text:
        "Hello {{recipient.name}},\n\n{{approval.requested_by}} asks you to approve a {{approval.type}} of {{approval.amount}} {{approval.currency}} on ticket #{{ticket.number}} \"{{ticket.subject}}\" ({{customer.name}}).\n\nGranted before on this ticket: {{approval.granted_before}}\n\nNote: {{approval.note}}\n\nPlease decide by {{approval.due_at}}." +
        agentFooter,
      html: agentHtml(
        `<p>{{approval.requested_by}} asks you to approve a {{approval.type}} of <strong>{{approval.amount}} {{approval.currency}}</strong> on ticket #{{ticket.number}} “{{ticket.subject}}” ({{customer.name}}).</p>\n<p>Granted before on this ticket: {{approval.granted_before}}</p>\n<blockquote>{{approval.note}}</blockquote>\n<p>Please decide by {{approval.due_at}}.</p>`,
      ),
    },
  },
  {
    key: "agent.sla_warning",
    audience: "agent",
    description: "To the assignee (or else the team's leads) when an SLA target is about to be missed.",
    placeholders: [...AGENT_COMMON, "sla.metric", "sla.due_at"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] SLA warning: {{sla.metric}} due {{sla.due_at}}",
      text: "Hello {{recipient.name}},\n\nthe {{sla.metric}} target of ticket #{{ticket.number}} \"{{ticket.subject}}\" ({{ticket.priority}} priority) is due at {{sla.due_at}}." + agentFooter,
      html: agentHtml(`<p>the {{sla.metric}} target of ticket #{{ticket.number}} “{{ticket.subject}}” ({{ticket.priority}} priority) is due at <strong>{{sla.due_at}}</strong>.</p>`),
    },
  },
  {
    key: "agent.sla_breached",
    audience: "agent",
    description: "To the assignee (or else the team's leads) when an SLA target is missed.",
    placeholders: [...AGENT_COMMON, "sla.metric", "sla.due_at"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] SLA breached: {{sla.metric}} on {{ticket.subject}}",
      text: "Hello {{recipient.name}},\n\nthe {{sla.metric}} target of ticket #{{ticket.number}} \"{{ticket.subject}}\" ({{ticket.priority}} priority) was missed: it was due at {{sla.due_at}}." + agentFooter,
      html: agentHtml(`<p>the {{sla.metric}} target of ticket #{{ticket.number}} “{{ticket.subject}}” ({{ticket.priority}} priority) was <strong>missed</strong>: it was due at {{sla.due_at}}.</p>`),
    },
  },
  {
    key: "agent.rule_notify",
    audience: "agent",
    description: "To the agents of a role on the ticket's team when an escalation rule with a notify action fires.",
    placeholders: [...AGENT_COMMON, "rule.name", "rule.role"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] Rule \"{{rule.name}}\" matched: {{ticket.subject}}",
      text: "Hello {{recipient.name}},\n\nthe escalation rule \"{{rule.name}}\" matched ticket #{{ticket.number}} \"{{ticket.subject}}\" from {{customer.name}} and asks every {{rule.role}} of {{team.name}} to look at it." + agentFooter,
      html: agentHtml(`<p>the escalation rule “{{rule.name}}” matched ticket #{{ticket.number}} “{{ticket.subject}}” from {{customer.name}} and asks every {{rule.role}} of {{team.name}} to look at it.</p>`),
    },
  },
  {
    key: "agent.escalation_requested",
    audience: "agent",
    description: "To the ticket's assignee and its team's leads when the customer asks for escalation.",
    placeholders: [...AGENT_COMMON, "request.reason"],
    builtIn: {
      subject: "[Tierline #{{ticket.number}}] The customer asks for escalation: {{ticket.subject}}",
      text: "Hello {{recipient.name}},\n\n{{customer.name}} asks for ticket #{{ticket.number}} \"{{ticket.subject}}\" to be escalated:\n\n{{request.reason}}\n\nPlease accept or decline the request." + agentFooter,
      html: agentHtml(`<p>{{customer.name}} asks for ticket #{{ticket.number}} “{{ticket.subject}}” to be escalated:</p>\n<blockquote>{{request.reason}}</blockquote>\n<p>Please accept or decline the request.</p>`),
    },
  },
];

export const EMAIL_TEMPLATES: ReadonlyMap<EmailTemplateKey, EmailTemplateSpec> = new Map(SPECS.map((s) => [s.key, s]));

/** The catalogue entry of a key, or undefined for a key that is not in it. */
export function templateSpecOf(key: string): EmailTemplateSpec | undefined {
  return EMAIL_TEMPLATES.get(key as EmailTemplateKey);
}

/** Example values of every placeholder, for previews. */
export const SAMPLE_VALUES: TemplateValues = {
  "ticket.number": "1042",
  "ticket.subject": "Invoice charged twice 💳",
  "ticket.status": "open",
  "ticket.priority": "high",
  "ticket.url": "https://support.example.com/tickets/00000000-0000-4000-8000-000000001042",
  "ticket.created_at": "Mon 2 Mar 2026, 10:00 CET",
  "customer.name": "Carol Example",
  "customer.email": "carol@example.com",
  "team.name": "Billing",
  "level.name": "L2",
  "recipient.name": "Bob",
  "message.body": "Hello Carol,\n\nwe have refunded the second charge; you will see it within 3 working days.",
  "agent.name": "Bob",
  "status.from": "open",
  "status.to": "resolved",
  "request.reason": "Nobody has answered for two days.",
  "request.answer": "A specialist is already working on this and will reply today.",
  "escalation.kind": "functional",
  "escalation.reason": "needs expertise",
  "escalation.note": "Customer was charged twice for November; a refund of 49.90 EUR is needed.",
  "escalation.from_team": "Frontline",
  "escalation.by": "Alice",
  "approval.type": "refund",
  "approval.amount": "120.00",
  "approval.currency": "EUR",
  "approval.note": "Second charge of the November invoice.",
  "approval.requested_by": "Alice",
  "approval.due_at": "Mon 2 Mar 2026, 14:00 CET",
  "approval.granted_before": "80.00 EUR (80.00 applied, 0.00 waiting for approval)",
  "sla.metric": "first response",
  "sla.due_at": "Mon 2 Mar 2026, 12:00 CET",
  "rule.name": "Legal threats to management",
  "rule.role": "manager",
  "verification.url": "https://support.example.com/api/v1/chat/verify?token=tl_verify_example",
  "verification.expires_at": "Tue 3 Mar 2026, 10:00 CET",
  "sign_in.url": "https://support.example.com/portal/sign-in?token=tl_signin_example",
  "sign_in.expires_at": "Mon 2 Mar 2026, 09:15 CET",
};
