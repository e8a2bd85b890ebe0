import { and, desc, eq, inArray, max } from "drizzle-orm";
import { hashToken } from "../../auth/tokens.js";
import { agents, chatConversations, customers, events, messages, tickets, type Message } from "../../db/schema.js";
import type { Db } from "../../db/store.js";
import { AppError, notFound } from "../../domain/errors.js";
import type { ChatConversation } from "../../commands/start-chat.js";
import type { ChatHistory, ChatMessageView } from "../../schemas/chat.schemas.js";

/** The most messages a conversation's history returns (the newest ones). */
const HISTORY_LIMIT = 500;

/**
 * The conversation a token opens. A token grants exactly one conversation: a missing token is 401, and a
 * token that is not this conversation's (another conversation's, or none at all) is 404, so it learns
 * nothing about which conversations exist.
 */
export async function conversationByToken(db: Db, conversationId: string, token: string | undefined): Promise<ChatConversation> {
  if (!token) throw new AppError("unauthenticated", "Send the conversation token in the X-Tierline-Chat-Token header.");
  const [conversation] = await db
    .select()
    .from(chatConversations)
    .where(and(eq(chatConversations.id, conversationId), eq(chatConversations.tokenHash, hashToken(token))));
  if (!conversation) throw notFound("chat_conversation_not_found", "Chat conversation", conversationId);
  return conversation;
}

/**
 * The conversation as its visitor sees it: the opening message (the ticket's description), then the
 * public replies and the visitor's messages, oldest first (the newest HISTORY_LIMIT); never an internal
 * note. `lastEventId` is where the conversation's stream carries on from.
 */
export async function chatHistory(db: Db, conversation: ChatConversation): Promise<ChatHistory> {
  const [ticket] = await db
    .select({ number: tickets.number, status: tickets.status, description: tickets.description, createdAt: tickets.createdAt, visitorName: customers.name, unverified: customers.unverified })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, conversation.ticketId));
  const rows = await db
    .select({ message: messages, agentName: agents.name })
    .from(messages)
    .leftJoin(agents, eq(agents.id, messages.authorAgentId))
    .where(and(eq(messages.ticketId, conversation.ticketId), inArray(messages.kind, ["public", "customer"])))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(HISTORY_LIMIT);
  const [last] = await db.select({ id: max(events.id) }).from(events).where(eq(events.ticketId, conversation.ticketId));
  const opening: ChatMessageView = {
    id: conversation.ticketId,
    from: "visitor",
    authorName: ticket!.visitorName,
    body: ticket!.description,
    createdAt: ticket!.createdAt.toISOString(),
  };
  const replies = rows.reverse().map(({ message, agentName }): ChatMessageView => ({
    id: message.id,
    from: message.kind === "customer" ? "visitor" : "agent",
    authorName: message.kind === "customer" ? ticket!.visitorName : agentName,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  }));
  return {
    conversation: {
      id: conversation.id,
      ticketId: conversation.ticketId,
      ticketNumber: ticket!.number,
      status: ticket!.status,
      visitorName: ticket!.visitorName,
      verified: !ticket!.unverified,
      createdAt: conversation.createdAt.toISOString(),
    },
    messages: rows.length < HISTORY_LIMIT ? [opening, ...replies] : replies,
    lastEventId: Number(last?.id ?? 0),
  };
}

/** One message as the chat shows it, with its author's name. */
export async function presentChatMessage(db: Db, message: Message): Promise<ChatMessageView> {
  const [author] = message.authorCustomerId
    ? await db.select({ name: customers.name }).from(customers).where(eq(customers.id, message.authorCustomerId))
    : message.authorAgentId
      ? await db.select({ name: agents.name }).from(agents).where(eq(agents.id, message.authorAgentId))
      : [];
  return {
    id: message.id,
    from: message.kind === "customer" ? "visitor" : "agent",
    authorName: author?.name ?? null,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  };
}
