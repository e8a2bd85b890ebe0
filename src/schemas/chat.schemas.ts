import { z } from "zod";
import { TICKET_STATUSES } from "../domain/vocabulary.js";
import { Email, IsoDateTime, Name, Uuid } from "./common.js";

/** What a visitor types into the chat: plain text (shown as text, never as HTML). */
const ChatText = z.string().trim().min(1, "must not be empty").max(10_000);

export const StartChatBody = z.object({
  name: Name,
  email: Email,
  message: ChatText,
  /** The team new chats land on (the widget's `data-tierline-team`); default: the frontline team of the lowest level. */
  team: z.string().trim().min(1).max(200).optional(),
});

export const ChatMessageBody = z.object({ body: ChatText });

export const ChatConversationParams = z.object({ id: Uuid });

/** The conversation token: in the `X-Tierline-Chat-Token` header, or (for the stream, which a browser's EventSource opens) as `?token=`. */
export const CHAT_TOKEN_HEADER = "x-tierline-chat-token";
const ChatToken = z.string().min(1).max(200);

export const ChatStreamQuery = z.object({
  token: ChatToken.optional().describe("The conversation token (an EventSource cannot send headers)"),
  lastEventId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe("Replay the events after this id first"),
});

export const ChatMessageDto = z
  .object({
    /** The message's id; the opening message (the ticket's description) carries the ticket's id. */
    id: Uuid,
    from: z.enum(["visitor", "agent"]),
    authorName: z.string().nullable(),
    body: z.string(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "ChatMessage" });

export const ChatConversationDto = z
  .object({
    id: Uuid,
    ticketId: Uuid,
    ticketNumber: z.number().int(),
    status: z.enum(TICKET_STATUSES),
    visitorName: z.string(),
    /** Whether the visitor confirmed their e-mail address (by the link mailed to it); until then the chat is an unverified contact's. */
    verified: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "ChatConversation" });

/** A conversation as its visitor sees it, and the event id its stream continues from. */
export const ChatHistoryDto = z.object({
  conversation: ChatConversationDto,
  messages: z.array(ChatMessageDto),
  lastEventId: z.number().int(),
});

export const StartChatResponse = ChatHistoryDto.extend({
  /** Shown once: it grants access to this conversation only. Keep it (the widget keeps it in localStorage). */
  token: z.string(),
  /** Whether a confirmation link was mailed to the address (false when the address had too many lately). */
  verificationMailSent: z.boolean(),
});

/** A confirmation token from the link mailed to a chat visitor's address. */
const VerificationToken = z.string().trim().min(1).max(200);
export const ChatVerifyQuery = z.object({ token: VerificationToken.describe("The token of the confirmation link") });
export const ChatVerifyBody = z.object({ token: VerificationToken });

export const ChatVerifiedDto = z
  .object({
    verified: z.literal(true),
    conversationId: Uuid,
    email: z.string(),
    /** True when the chat moved to a customer who already had the address; false when the visitor's contact became that customer. */
    merged: z.boolean(),
  })
  .meta({ id: "ChatVerified" });

export type StartChatInput = z.infer<typeof StartChatBody>;
export type ChatMessageInput = z.infer<typeof ChatMessageBody>;
export type ChatMessageView = z.infer<typeof ChatMessageDto>;
export type ChatHistory = z.infer<typeof ChatHistoryDto>;
