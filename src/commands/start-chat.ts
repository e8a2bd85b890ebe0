import { desc, eq, sql } from "drizzle-orm";
import { newToken, hashToken } from "../auth/tokens.js";
import { chatConversations, teams, type Customer, type Ticket } from "../db/schema.js";
import type { Db } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { notFound } from "../domain/errors.js";
import type { CustomerPrincipal } from "../domain/principal.js";
import type { StartChatInput } from "../schemas/chat.schemas.js";
import { createTicketInTx } from "./create-ticket.js";
import { requestVerificationInTx, type VerificationRequest } from "../channels/chat/verification.js";
import { addUnverifiedContact } from "./support/customers.js";

/** A web-chat command runs for an anonymous visitor: there is no signed-in caller, only the store and the clock. */
export type ChatContext = { db: Db; clock: Clock };

export type ChatConversation = typeof chatConversations.$inferSelect;

export type StartedChat = { conversation: ChatConversation; ticket: Ticket; customer: Customer; token: string; verification: VerificationRequest };

/** The prefix of conversation tokens, so one is recognisable where it turns up (logs, support requests). */
export const CHAT_TOKEN_PREFIX = "tl_chat";

/**
 * Starts a web-chat conversation. Anyone can type any address into the widget, so the visitor gets a new
 * unverified contact of their own (standard tier, no account: never the tier, SLA, rules or ticket list of
 * the customer who owns the address), and a confirmation link is mailed to the address (through the
 * outbox, rate-limited per address). It opens a ticket with channel `chat` for that contact whose
 * description is the visitor's first message — on the named team, else where tickets land — and issues the
 * conversation token, stored only as its hash. All in one transaction: a failure leaves no contact, ticket,
 * conversation or mail behind. The ticket is opened as the contact, so its timeline says the customer
 * wrote in.
 */
export async function startChat(ctx: ChatContext, input: StartChatInput): Promise<StartedChat> {
  const now = ctx.clock.now();
  const teamId = input.team ? await teamIdByName(ctx.db, input.team) : null;
  const token = newToken(CHAT_TOKEN_PREFIX);
  return ctx.db.transaction(async (tx) => {
    const customer = await addUnverifiedContact(tx, input.email, input.name, now);
    const actor: CustomerPrincipal = { kind: "customer", id: customer.id };
    const ticket = await createTicketInTx(
      { db: tx, clock: ctx.clock, actor },
      tx,
      { subject: subjectOf(input.message), description: input.message, channel: "chat", priority: "normal", tags: [] },
      { teamId },
    );
    const [conversation] = await tx
      .insert(chatConversations)
      .values({ ticketId: ticket.id, customerId: customer.id, tokenHash: hashToken(token), createdAt: now, lastSeenAt: now })
      .returning();
    const verification = await requestVerificationInTx(tx, now, conversation!, input.email);
    return { conversation: conversation!, ticket, customer, token, verification };
  });
}

/** A team by name, case-insensitively (an exact match first): the widget's `data-tierline-team`. */
async function teamIdByName(db: Db, name: string): Promise<string> {
  const [team] = await db
    .select({ id: teams.id })
    .from(teams)
    .where(sql`lower(${teams.name}) = lower(${name})`)
    .orderBy(desc(eq(teams.name, name)))
    .limit(1);
  if (!team) throw notFound("team_not_found", "Team", name);
  return team.id;
}

/** The ticket subject: "Chat: " and the first line of the first message, shortened. */
function subjectOf(message: string): string {
  const line = message.split(/\r?\n/, 1)[0]!.replace(/\s+/g, " ").trim();
  return `Chat: ${line.length > 80 ? `${line.slice(0, 79)}…` : line}`;
}
