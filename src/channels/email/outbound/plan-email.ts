import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { createHash } from "node:crypto";
import { MAGIC_LINK_PATH, MAGIC_LINK_TOKEN_PREFIX } from "../../../auth/magic-link.js";
import { hashToken, newToken } from "../../../auth/tokens.js";
import { agents, approvals, calendars, chatVerifications, customers, magicLinks, escalationRequests, escalations, inboundMail, levels, mailboxes, messages, resolutions, slaPolicies, teams, tickets } from "../../../db/schema.js";
import type { GrantedBefore } from "../../../domain/authority.js";
import { queryRows } from "../../../db/raw.js";
import type { Tx } from "../../../db/store.js";
import { isUuid } from "../../../domain/ids.js";
import { AGENT_ROLES, type AgentRole, type Channel, type TicketStatus } from "../../../domain/vocabulary.js";
import type { DeliveryPlanner, OutboxMessage, PlannedDelivery } from "../../../outbox/types.js";
import { activeAgents, agentsOfRole, teamAgents, teamLeadsOrMembers, type Recipient } from "./recipients.js";
import { formatMailTime } from "./mail-time.js";
import { renderTemplate, type TemplateValues } from "./render.js";
import { effectiveTemplates, type EffectiveTemplate } from "./template-store.js";
import { EMAIL_TEMPLATES, type EmailTemplateKey } from "./templates.js";
import { outgoingMessageId, recordThreadMessage, threadingHeaders, ticketThread, ticketThreads } from "./threading.js";

export type EmailPlannerOptions = {
  /** Base URL of the web UI, for ticket links. */
  publicUrl: string;
  /** The From of every mail, e.g. `Tierline Support <support@example.com>`. */
  mailFrom: string;
  /** The domain of outgoing Message-IDs. */
  mailDomain: string;
  /** The IANA zone of times in mail when neither the reader's nor the ticket's calendar gives one (default UTC). */
  timeZone?: string;
};

/** What a planned email delivery carries: the whole message, rendered, so sending needs no lookup. */
export type EmailPayload = {
  to: Recipient;
  from: string;
  replyTo: string | null;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  headers: Record<string, string>;
};

/** The ticket as mail about it needs it. */
type TicketFacts = {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: string;
  channel: Channel;
  teamId: string;
  teamName: string;
  levelName: string;
  assigneeId: string | null;
  customer: Recipient;
  /** The ticket belongs to a chat visitor's unverified contact: the only mail to it is the confirmation link. */
  customerUnverified: boolean;
  createdAt: Date;
  /** The zone of the calendar of the ticket's SLA policy, if it has one. */
  calendarZone: string | null;
};

/**
 * One kind of mail to some recipients, with the values particular to it; `times` are placeholders holding
 * a time, shown in each recipient's zone.
 */
type Intent = { template: EmailTemplateKey; to: Recipient[]; values: TemplateValues; times?: Record<string, Date | string | null | undefined> };
type Planner = (tx: Tx, message: OutboxMessage, ticket: TicketFacts, publicUrl: string) => Promise<Intent[]>;

/** The prefix of chat confirmation tokens, so one is recognisable where it turns up. */
export const VERIFY_TOKEN_PREFIX = "tl_verify";
/** The path (under the public URL) the confirmation link opens. */
export const VERIFY_PATH = "/api/v1/chat/verify";

/** How customers read a status. */
const STATUS_WORDS: Record<TicketStatus, string> = {
  new: "received",
  open: "open",
  pending: "waiting for your reply",
  on_hold: "on hold",
  resolved: "resolved",
  closed: "closed",
};
const METRIC_WORDS: Record<string, string> = {
  first_response: "first response",
  next_response: "next response",
  periodic_update: "customer update",
  resolution: "resolution",
};

const words = (code: string) => code.replaceAll("_", " ");
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const amount = (n: number) => n.toFixed(2);

/** "80.00 EUR (80.00 applied, 0.00 waiting for approval)", or "nothing" — what the approver should weigh the request with. */
function grantedBeforeText(before: GrantedBefore | null): string {
  if (!before || before.amount === 0) return "nothing";
  return `${amount(before.amount)} ${before.currency} (${amount(before.applied)} applied, ${amount(before.pending)} waiting for approval)`;
}
const customerOnly = (ticket: TicketFacts) => [ticket.customer];

/**
 * Who gets which mail for each outbox topic. Customer mail: the ticket received, an agent's public reply,
 * a status change, an escalation taken over by its team, a declined escalation request. Agent mail:
 * assigned to them, escalated to them, an approval for them, SLA warnings and breaches, a rule's notify
 * action, a customer's escalation request. Everything else on the outbox is not mail.
 */
const PLANNERS: Record<string, Planner> = {
  "ticket.created": async (_tx, _m, ticket) => [{ template: "customer.ticket_received", to: customerOnly(ticket), values: {}, times: { "ticket.created_at": ticket.createdAt } }],

  "message.public": async (tx, m, ticket) => {
    const messageId = str(m.payload.messageId);
    if (!messageId) return [];
    const [row] = await tx
      .select({ body: messages.body, kind: messages.kind, author: agents.name })
      .from(messages)
      .leftJoin(agents, eq(agents.id, messages.authorAgentId))
      .where(and(eq(messages.id, messageId), eq(messages.ticketId, ticket.id)));
    if (!row || row.kind !== "public") return [];
    return [{ template: "customer.agent_reply", to: customerOnly(ticket), values: { "message.body": row.body, "agent.name": row.author ?? "" } }];
  },

  "ticket.updated": async (tx, m, ticket) => {
    const changes = (m.payload.changes ?? {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
    const intents: Intent[] = [];
    const status = changes.status;
    if (status && typeof status.to === "string") {
      intents.push({
        template: "customer.status_changed",
        to: customerOnly(ticket),
        values: { "status.from": STATUS_WORDS[status.from as TicketStatus] ?? String(status.from ?? ""), "status.to": STATUS_WORDS[status.to as TicketStatus] ?? status.to },
      });
    }
    const assignee = str(changes.assigneeId?.to);
    if (assignee && !(await assignedThemselves(tx, ticket.id, m.createdAt, assignee))) {
      intents.push({ template: "agent.assigned", to: await activeAgents(tx, [assignee]), values: {} });
    }
    return intents;
  },

  "escalation.created": async (tx, m, ticket) => {
    const escalation = await loadEscalation(tx, str(m.payload.escalationId), ticket.id);
    if (!escalation) return [];
    const named = await activeAgents(tx, [escalation.toAgentId]);
    const to = (named.length > 0 ? named : await teamLeadsOrMembers(tx, escalation.toTeamId)).filter((a) => a.id !== escalation.requestedById);
    return [
      {
        template: "agent.escalated_to_you",
        to,
        values: {
          "team.name": escalation.toTeamName,
          "level.name": escalation.toLevelName,
          "escalation.kind": escalation.kind,
          "escalation.reason": words(escalation.reason),
          "escalation.note": escalation.note,
          "escalation.from_team": escalation.fromTeamName,
          "escalation.by": escalation.requestedByName ?? "Tierline (automatic)",
        },
      },
    ];
  },

  // The customer hears of an escalation once its team has taken it over, and never its handover note.
  "escalation.acknowledged": async (tx, m, ticket) => {
    const escalation = await loadEscalation(tx, str(m.payload.escalationId), ticket.id);
    if (!escalation) return [];
    return [{ template: "customer.escalation_taken_over", to: customerOnly(ticket), values: { "team.name": escalation.toTeamName } }];
  },

  "approval.requested": async (tx, m, ticket) => {
    const approvalId = str(m.payload.approvalId);
    if (!approvalId) return [];
    const [row] = await tx
      .select({ approval: approvals, resolution: resolutions, requester: agents.name })
      .from(approvals)
      .innerJoin(resolutions, eq(resolutions.id, approvals.resolutionId))
      .innerJoin(agents, eq(agents.id, resolutions.requestedById))
      .where(and(eq(approvals.id, approvalId), eq(approvals.ticketId, ticket.id)));
    if (!row) return [];
    // The approver of this request (it may have moved up since; a later outbox row tells the next one).
    const approverId = str(m.payload.approverId) ?? row.approval.approverId;
    return [
      {
        template: "agent.approval_needed",
        to: await activeAgents(tx, [approverId]),
        values: {
          "approval.type": row.resolution.type,
          "approval.amount": amount(row.resolution.amount),
          "approval.currency": row.resolution.currency,
          "approval.note": row.resolution.note,
          "approval.requested_by": row.requester,
          "approval.granted_before": grantedBeforeText(row.approval.grantedBefore),
        },
        times: { "approval.due_at": str(m.payload.dueAt) ?? row.approval.dueAt },
      },
    ];
  },

  "sla.warning": async (tx, m, ticket) => [{ template: "agent.sla_warning", to: await assigneeOrLeads(tx, ticket), values: slaValues(m), times: slaTimes(m) }],
  "sla.breached": async (tx, m, ticket) => [
    { template: "agent.sla_breached", to: await assigneeOrLeads(tx, ticket), values: slaValues(m), times: slaTimes(m) },
    // A periodic update the SLA requires is overdue: the customer at least hears that work goes on.
    ...(m.payload.metric === "periodic_update" ? [{ template: "customer.periodic_update" as const, to: customerOnly(ticket), values: {} }] : []),
  ],

  "rule.notify": async (tx, m, ticket) => {
    const role = str(m.payload.role) as AgentRole | null;
    if (!role || !AGENT_ROLES.includes(role)) return [];
    const onTeam = await teamAgents(tx, ticket.teamId, role);
    // Admins and managers often belong to no team: then everyone of the role hears of it.
    const to = onTeam.length > 0 ? onTeam : await agentsOfRole(tx, role);
    return [{ template: "agent.rule_notify", to, values: { "rule.name": str(m.payload.rule) ?? "", "rule.role": role } }];
  },

  "escalation_request.created": async (tx, m, ticket) => {
    const request = await loadRequest(tx, str(m.payload.requestId), ticket.id);
    if (!request) return [];
    const to = [...(await activeAgents(tx, [ticket.assigneeId])), ...(await teamAgents(tx, ticket.teamId, "lead"))];
    return [{ template: "agent.escalation_requested", to, values: { "request.reason": request.reason } }];
  },

  // The link that confirms a chat visitor's address. Its token is made here, in the fan-out transaction, and
  // only its hash is stored: the token exists in the mail alone (not in the outbox row webhooks also read).
  // A verification planned before (its hash set) plans nothing.
  "chat.verification_requested": async (tx, m, ticket, publicUrl) => {
    const verificationId = str(m.payload.verificationId);
    if (!isUuid(verificationId)) return [];
    const token = newToken(VERIFY_TOKEN_PREFIX);
    const [verification] = await tx
      .update(chatVerifications)
      .set({ tokenHash: hashToken(token) })
      .where(and(eq(chatVerifications.id, verificationId), isNull(chatVerifications.tokenHash), isNull(chatVerifications.usedAt)))
      .returning();
    if (!verification) return [];
    return [
      {
        template: "customer.chat_verification",
        to: [{ name: ticket.customer.name, address: verification.email }],
        values: { "verification.url": `${publicUrl}${VERIFY_PATH}?token=${encodeURIComponent(token)}` },
        times: { "verification.expires_at": verification.expiresAt },
      },
    ];
  },

  "escalation_request.declined": async (tx, m, ticket) => {
    const request = await loadRequest(tx, str(m.payload.requestId), ticket.id);
    if (!request) return [];
    const answer = str(m.payload.answer) ?? request.answer ?? "";
    return [{ template: "customer.escalation_request_declined", to: customerOnly(ticket), values: { "request.reason": request.reason, "request.answer": answer } }];
  },
};

/**
 * The email planner of the outbox dispatcher: turns one outbox row into the mails it means, fully rendered
 * (templates with the admin's overrides), threaded and with their idempotency keys. Customer mail about a
 * ticket carries `[#<number>]` in its subject and In-Reply-To/References to the ticket's earlier mail, and
 * its Message-ID is recorded in `email_threads` (in the fan-out transaction) so that replies find the
 * ticket. Agent notifications are marked `Auto-Submitted: auto-generated`. Inactive agents get nothing.
 */
export function createEmailPlanner(options: EmailPlannerOptions): DeliveryPlanner {
  const publicUrl = options.publicUrl.replace(/\/+$/, "");
  const defaultZone = options.timeZone ?? "UTC";
  // A fan-out batch plans many messages in one transaction: every template is read once per batch.
  const templatesOf = new WeakMap<Tx, Promise<Map<string, EffectiveTemplate>>>();
  // And the facts every message about a ticket needs are read for the whole batch at once (see `prepare`).
  const batchFacts = new WeakMap<Tx, BatchFacts>();

  const templatesFor = (tx: Tx): Promise<Map<string, EffectiveTemplate>> => {
    let batchTemplates = templatesOf.get(tx);
    if (!batchTemplates) {
      batchTemplates = effectiveTemplates(tx).then((list) => new Map(list.map((t) => [t.key, t])));
      templatesOf.set(tx, batchTemplates);
    }
    return batchTemplates;
  };

  const planner: DeliveryPlanner = async (tx, message) => {
    if (message.topic === "customer.sign_in_requested") return planSignInLink(tx, message, await templatesFor(tx), publicUrl, options, defaultZone);
    const plan = PLANNERS[message.topic];
    const ticketId = str(message.payload.ticketId);
    if (!plan || !ticketId) return [];
    const facts = batchFacts.get(tx);
    const ticket = facts?.tickets.has(ticketId) ? facts.tickets.get(ticketId)! : await loadTicket(tx, ticketId);
    if (!ticket) return [];
    // A chat customer follows the conversation live in the widget; mail would repeat every message. And an
    // address nobody confirmed gets no mail but the confirmation link.
    const intents = (await plan(tx, message, ticket, publicUrl)).filter(
      (i) => i.template === "customer.chat_verification" || !(i.template.startsWith("customer.") && (ticket.channel === "chat" || ticket.customerUnverified)),
    );
    if (intents.every((i) => i.to.length === 0)) return [];

    const templates = await templatesFor(tx);
    const common: TemplateValues = {
      "ticket.number": String(ticket.number),
      "ticket.subject": ticket.subject,
      "ticket.status": STATUS_WORDS[ticket.status],
      "ticket.priority": ticket.priority,
      "ticket.url": `${publicUrl}/tickets/${ticket.number}`,
      "customer.name": ticket.customer.name,
      "customer.email": ticket.customer.address,
      "team.name": ticket.teamName,
      "level.name": ticket.levelName,
    };
    let thread: string[] | undefined;
    let replyTo: string | undefined;
    const planned: PlannedDelivery[] = [];
    const seen = new Set<string>();

    for (const intent of intents) {
      const spec = EMAIL_TEMPLATES.get(intent.template)!;
      const isCustomer = spec.audience === "customer";
      const isThreaded = isCustomer && !spec.standalone;
      const times = Object.entries(intent.times ?? {});
      const agentIds = isCustomer || times.length === 0 ? [] : intent.to.flatMap((r) => ("id" in r && typeof r.id === "string" ? [r.id] : []));
      const agentZones = await agentCalendarZones(tx, agentIds);
      for (const to of intent.to) {
        const address = to.address.trim().toLowerCase();
        const key = `email:${message.id}:${intent.template}:${address}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // Only the placeholders of the template's key: a customer template never sees internal values.
        const zone = readerZone(to, isCustomer, ticket, agentZones, defaultZone);
        const zoned = Object.fromEntries(times.map(([key, at]) => [key, formatMailTime(at, zone)]));
        const all: TemplateValues = { ...common, ...intent.values, ...zoned, "recipient.name": to.name };
        const values = Object.fromEntries(spec.placeholders.map((p) => [p, all[p] ?? ""]));
        const rendered = renderTemplate(templates.get(intent.template)!, values);
        const messageId = outgoingMessageId(isThreaded ? "t" : "n", ticket, key, options.mailDomain);
        let threading: { inReplyTo: string | null; references: string[] } = { inReplyTo: null, references: [] };
        const headers: Record<string, string> = { "X-Tierline-Delivery": key, "X-Tierline-Ticket": String(ticket.number) };
        if (isThreaded) {
          // The batch's thread is updated as mail is planned, so a later message of the batch threads under this one.
          thread ??= facts?.threads.get(ticket.id) ?? (await ticketThread(tx, ticket.id, options.mailDomain));
          replyTo ??= facts?.tickets.has(ticket.id) ? (facts.support.get(ticket.id) ?? options.mailFrom) : await supportAddressOf(tx, ticket.id, options.mailFrom);
          threading = threadingHeaders(thread);
          await recordThreadMessage(tx, ticket.id, messageId, message.createdAt);
          thread.push(messageId);
        } else {
          headers["Auto-Submitted"] = "auto-generated";
          headers["X-Auto-Response-Suppress"] = "All";
        }
        const payload: EmailPayload = {
          to: { name: to.name, address: to.address },
          from: options.mailFrom,
          replyTo: isThreaded ? (replyTo ?? null) : null,
          subject: spec.standalone ? rendered.subject : withTicketToken(rendered.subject, ticket.number, isCustomer),
          text: rendered.text,
          html: rendered.html,
          messageId,
          ...threading,
          headers,
        };
        planned.push({ channel: "email", topic: intent.template, destination: address, key, payload, ticketId: ticket.id });
      }
    }
    return planned;
  };
  planner.prepare = async (tx, batch) => {
    const ids = [...new Set(batch.filter((m) => PLANNERS[m.topic]).map((m) => str(m.payload.ticketId)).filter(isUuid))];
    if (ids.length === 0) return;
    batchFacts.set(tx, await loadBatchFacts(tx, ids, options.mailDomain));
  };
  return planner;
}

/**
 * The sign-in link a customer asked the portal for: about no ticket, so not threaded and without
 * `[#number]`. Its token is made here, in the fan-out transaction, and only its hash is stored: the token
 * exists in the mail alone (not in the outbox row webhooks also read). A link planned before (its hash
 * set), used, or of a customer who is no longer verified plans nothing. Times are in the default zone
 * (customers have no zone of their own yet).
 */
async function planSignInLink(
  tx: Tx,
  message: OutboxMessage,
  templates: Map<string, EffectiveTemplate>,
  publicUrl: string,
  options: EmailPlannerOptions,
  zone: string,
): Promise<PlannedDelivery[]> {
  const linkId = str(message.payload.magicLinkId);
  if (!isUuid(linkId)) return [];
  const token = newToken(MAGIC_LINK_TOKEN_PREFIX);
  const [link] = await tx
    .update(magicLinks)
    .set({ tokenHash: hashToken(token) })
    .where(and(eq(magicLinks.id, linkId), isNull(magicLinks.tokenHash), isNull(magicLinks.usedAt)))
    .returning();
  if (!link) return [];
  const [customer] = await tx
    .select({ name: customers.name, email: customers.email })
    .from(customers)
    .where(and(eq(customers.id, link.customerId), eq(customers.unverified, false)));
  if (!customer) return [];
  const spec = EMAIL_TEMPLATES.get("customer.magic_link")!;
  const all: TemplateValues = {
    "customer.name": customer.name,
    "recipient.name": customer.name,
    "sign_in.url": `${publicUrl}${MAGIC_LINK_PATH}?token=${encodeURIComponent(token)}`,
    "sign_in.expires_at": formatMailTime(link.expiresAt, zone),
  };
  const values = Object.fromEntries(spec.placeholders.map((p) => [p, all[p] ?? ""]));
  const rendered = renderTemplate(templates.get(spec.key)!, values);
  const address = customer.email.trim().toLowerCase();
  const key = `email:${message.id}:${spec.key}:${address}`;
  const messageId = `<s.${createHash("sha256").update(key).digest("hex").slice(0, 32)}@${options.mailDomain}>`;
  const payload: EmailPayload = {
    to: { name: customer.name, address: customer.email },
    from: options.mailFrom,
    replyTo: null,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId,
    inReplyTo: null,
    references: [],
    headers: { "X-Tierline-Delivery": key, "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
  };
  return [{ channel: "email", topic: spec.key, destination: address, key, payload, ticketId: null }];
}

/**
 * Customer mail always carries `[#<number>]` (inbound mail finds its ticket by it when the mail client
 * dropped the threading headers), agent mail at least `#<number>`, whatever an edited template says.
 */
export function withTicketToken(subject: string, number: number, isCustomer: boolean): string {
  if (isCustomer) return subject.includes(`[#${number}]`) ? subject : `${subject} [#${number}]`.trim();
  return new RegExp(`#${number}(?!\\d)`).test(subject) ? subject : `${subject} [#${number}]`.trim();
}

/** What the messages of one fan-out batch need, read in three queries: their tickets, threads and support addresses. */
type BatchFacts = { tickets: Map<string, TicketFacts | null>; threads: Map<string, string[]>; support: Map<string, string> };

async function loadBatchFacts(tx: Tx, ticketIds: string[], ownDomain: string): Promise<BatchFacts> {
  const tickets = new Map<string, TicketFacts | null>(ticketIds.map((id) => [id, null]));
  for (const t of await loadTickets(tx, ticketIds)) tickets.set(t.id, t);
  const threads = await ticketThreads(tx, ticketIds, ownDomain);
  const support = new Map<string, string>();
  const rows = await tx
    .selectDistinctOn([inboundMail.ticketId], { ticketId: inboundMail.ticketId, address: mailboxes.address })
    .from(inboundMail)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundMail.mailboxId))
    .where(inArray(inboundMail.ticketId, ticketIds))
    .orderBy(asc(inboundMail.ticketId), asc(inboundMail.receivedAt));
  for (const r of rows) if (r.ticketId) support.set(r.ticketId, r.address);
  return { tickets, threads, support };
}

async function loadTicket(tx: Tx, ticketId: string): Promise<TicketFacts | null> {
  return (await loadTickets(tx, [ticketId]))[0] ?? null;
}

async function loadTickets(tx: Tx, ticketIds: string[]): Promise<TicketFacts[]> {
  const rows = await tx
    .select({
      ticket: tickets,
      customerName: customers.name,
      customerEmail: customers.email,
      customerUnverified: customers.unverified,
      teamName: teams.name,
      levelName: levels.name,
      calendarZone: calendars.timezone,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .innerJoin(teams, eq(teams.id, tickets.teamId))
    .innerJoin(levels, eq(levels.id, tickets.levelId))
    .leftJoin(slaPolicies, eq(slaPolicies.id, tickets.slaPolicyId))
    .leftJoin(calendars, eq(calendars.id, slaPolicies.calendarId))
    .where(inArray(tickets.id, ticketIds));
  return rows.map(({ ticket: t, ...row }) => ({
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    teamId: t.teamId,
    teamName: row.teamName,
    levelName: row.levelName,
    assigneeId: t.assigneeId,
    customer: { name: row.customerName, address: row.customerEmail },
    customerUnverified: row.customerUnverified,
    createdAt: t.createdAt,
    calendarZone: row.calendarZone,
  }));
}

async function loadEscalation(tx: Tx, escalationId: string | null, ticketId: string) {
  if (!escalationId) return null;
  const [row] = await tx
    .select({
      e: escalations,
      toTeamName: teams.name,
      toLevelName: levels.name,
      fromTeamName: sql<string>`(select name from teams where id = ${escalations.fromTeamId})`,
      requestedByName: sql<string | null>`(select name from agents where id = ${escalations.requestedById})`,
    })
    .from(escalations)
    .innerJoin(teams, eq(teams.id, escalations.toTeamId))
    .innerJoin(levels, eq(levels.id, escalations.toLevelId))
    .where(and(eq(escalations.id, escalationId), eq(escalations.ticketId, ticketId)));
  if (!row) return null;
  return { ...row.e, toTeamName: row.toTeamName, toLevelName: row.toLevelName, fromTeamName: row.fromTeamName, requestedByName: row.requestedByName };
}

async function loadRequest(tx: Tx, requestId: string | null, ticketId: string) {
  if (!requestId) return null;
  const [row] = await tx
    .select()
    .from(escalationRequests)
    .where(and(eq(escalationRequests.id, requestId), eq(escalationRequests.ticketId, ticketId)));
  return row ?? null;
}

/** The ticket's assignee if active, else its team's leads (or members, when it has no lead). */
async function assigneeOrLeads(tx: Tx, ticket: TicketFacts): Promise<Recipient[]> {
  const assignee = await activeAgents(tx, [ticket.assigneeId]);
  return assignee.length > 0 ? assignee : teamLeadsOrMembers(tx, ticket.teamId);
}

function slaValues(m: OutboxMessage): TemplateValues {
  const metric = str(m.payload.metric) ?? "";
  return { "sla.metric": METRIC_WORDS[metric] ?? words(metric) };
}

const slaTimes = (m: OutboxMessage) => ({ "sla.due_at": str(m.payload.dueAt) });

/**
 * The zone a recipient reads times in. A customer: the calendar of the ticket's SLA policy (customers have
 * no zone of their own yet). An agent: their own working-hours calendar, else the ticket's calendar. Then
 * the server's default zone.
 */
function readerZone(to: Recipient & { id?: string }, isCustomer: boolean, ticket: TicketFacts, agentZones: Map<string, string>, fallback: string): string {
  const own = !isCustomer && to.id ? agentZones.get(to.id) : undefined;
  return own ?? ticket.calendarZone ?? fallback;
}

/** The zones of the agents' working-hours calendars, for those who have one. */
async function agentCalendarZones(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: agents.id, zone: calendars.timezone })
    .from(agents)
    .innerJoin(calendars, eq(calendars.id, agents.calendarId))
    .where(inArray(agents.id, ids));
  return new Map(rows.map((r) => [r.id, r.zone]));
}

/**
 * Whether the agent who was given the ticket made that change themselves (no mail then). The change's
 * timeline event has the outbox row's time, as both are written by one command at one `now`.
 */
async function assignedThemselves(tx: Tx, ticketId: string, at: Date, assigneeId: string): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from events
        where ticket_id = ${ticketId} and type = 'ticket.updated' and created_at = ${at.toISOString()}::timestamptz
          and actor_id = ${assigneeId}::uuid and data->'changes' ? 'assigneeId'`,
  );
  return (row?.n ?? 0) > 0;
}

/**
 * Where the customer's replies should go: the mailbox their mail about this ticket came to, else the From
 * address. The inbound listener takes both.
 */
async function supportAddressOf(tx: Tx, ticketId: string, mailFrom: string): Promise<string> {
  const [row] = await tx
    .select({ address: mailboxes.address })
    .from(inboundMail)
    .innerJoin(mailboxes, eq(mailboxes.id, inboundMail.mailboxId))
    .where(eq(inboundMail.ticketId, ticketId))
    .orderBy(asc(inboundMail.receivedAt))
    .limit(1);
  return row?.address ?? mailFrom;
}
