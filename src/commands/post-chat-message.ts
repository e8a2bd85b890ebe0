import { eq } from "drizzle-orm";
import { chatConversations, type Message } from "../db/schema.js";
import type { ChatMessageInput } from "../schemas/chat.schemas.js";
import { addMessageInTx } from "./add-message.js";
import type { ChatContext, ChatConversation } from "./start-chat.js";

/**
 * A visitor's message in their conversation: a customer message on the conversation's ticket (with what
 * that implies: a pending or resolved ticket opens again, SLA clocks and rules react), and the conversation
 * marked as seen. The caller has checked the conversation token.
 */
export async function postChatMessage(ctx: ChatContext, conversation: ChatConversation, input: ChatMessageInput): Promise<Message> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const message = await addMessageInTx({ db: tx, clock: ctx.clock, actor: { kind: "customer", id: conversation.customerId } }, tx, conversation.ticketId, {
      body: input.body,
    });
    await tx.update(chatConversations).set({ lastSeenAt: now }).where(eq(chatConversations.id, conversation.id));
    return message;
  });
}
