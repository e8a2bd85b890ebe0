import { and, eq, inArray, sql } from "drizzle-orm";
import { usableVerification } from "../channels/chat/verification.js";
import { chatConversations, chatVerifications, customers, escalationRequests, messages, tickets, type Customer } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import type { CustomerPrincipal } from "../domain/principal.js";
import { reapplyToTicket, SlaSession } from "../sla/clocks.js";
import type { ChatContext } from "./start-chat.js";
import { isUniqueViolation } from "./support/db-errors.js";
import { appendEvents, enqueue } from "./support/timeline.js";

export type ConfirmedChat = { customer: Customer; conversationId: string; ticketIds: string[]; merged: boolean };

/**
 * Confirms a chat visitor's address with the token of the link mailed to it. Single use: the verification
 * is marked used. The contact's tickets (the chat's, and any staff opened for it) move to the customer who
 * owns the address — their timeline records `chat.verified`, and their SLA policy is matched again for that
 * customer's tier — or, when no customer has the address yet, the contact becomes that customer. A wrong
 * token is 400 `verification_token_invalid`, an expired one 410 `verification_token_expired`, a used one
 * (or one of a conversation already confirmed) 409 `verification_token_used`; none of them writes anything.
 */
export async function confirmChatVisitor(ctx: ChatContext, token: string): Promise<ConfirmedChat> {
  const now = ctx.clock.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const verification = await usableVerification(tx, token, now, true);
      const [conversation] = await tx.select().from(chatConversations).where(eq(chatConversations.id, verification.conversationId)).for("update");
      const [contact] = await tx.select().from(customers).where(eq(customers.id, conversation!.customerId)).for("update");
      if (!contact!.unverified) throw new AppError("verification_token_used", "This chat's e-mail address is confirmed already.");
      await tx.update(chatVerifications).set({ usedAt: now }).where(eq(chatVerifications.id, verification.id));

      const [owner] = await tx
        .select()
        .from(customers)
        .where(and(eq(sql`lower(${customers.email})`, verification.email), eq(customers.unverified, false)));
      let customer: Customer;
      let ticketIds: string[];
      if (owner) {
        const moved = await tx.update(tickets).set({ customerId: owner.id, updatedAt: now }).where(eq(tickets.customerId, contact!.id)).returning({ id: tickets.id });
        ticketIds = moved.map((t) => t.id);
        await tx.update(messages).set({ authorCustomerId: owner.id }).where(eq(messages.authorCustomerId, contact!.id));
        await tx.update(escalationRequests).set({ customerId: owner.id }).where(eq(escalationRequests.customerId, contact!.id));
        await tx.update(chatConversations).set({ customerId: owner.id }).where(eq(chatConversations.customerId, contact!.id));
        customer = owner;
      } else {
        // The unique index on verified addresses refuses this if a customer with the address was added meanwhile.
        [customer] = (await tx.update(customers).set({ unverified: false, email: verification.email }).where(eq(customers.id, contact!.id)).returning()) as [Customer];
        ticketIds = (await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.customerId, contact!.id))).map((t) => t.id);
      }

      const actor: CustomerPrincipal = { kind: "customer", id: customer.id };
      await appendEvents(
        tx,
        actor,
        now,
        ticketIds.map((ticketId) => ({
          ticketId,
          type: "chat.verified",
          visibility: "internal" as const,
          data: { conversationId: conversation!.id, email: verification.email, customerId: { from: contact!.id, to: customer.id }, merged: Boolean(owner) },
        })),
      );
      // The ticket now has the customer's tier: its SLA policy is matched again, keeping the time already used.
      if (ticketIds.length > 0) {
        const session = new SlaSession(tx, now, actor);
        for (const ticket of await tx.select().from(tickets).where(inArray(tickets.id, ticketIds)).for("update")) {
          await reapplyToTicket(session, ticket, customer.tier);
        }
      }
      for (const ticketId of ticketIds) {
        await enqueue(tx, now, "chat.verified", { ticketId, conversationId: conversation!.id, customerId: customer.id, merged: Boolean(owner) });
      }
      return { customer, conversationId: conversation!.id, ticketIds, merged: Boolean(owner) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("customer_exists", "A customer with this e-mail address was added meanwhile; open the link again.");
    throw err;
  }
}
