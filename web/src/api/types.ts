// The API's types, taken from the server's zod schemas: the contract has one source and costs the bundle nothing.
import type { z } from "zod";
import type * as auth from "../../../src/schemas/auth.schemas";
import type * as common from "../../../src/schemas/common";
import type * as ticket from "../../../src/schemas/ticket.schemas";

export type User = z.infer<typeof auth.UserDto>;
export type Page<T> = { data: T[]; nextCursor: string | null };
export type Ticket = z.infer<typeof ticket.TicketDto>;
export type CustomerTicket = z.infer<typeof ticket.CustomerTicketDto>;
export type Message = z.infer<typeof ticket.MessageDto>;
export type Escalation = z.infer<typeof ticket.EscalationDto>;
export type TicketEvent = z.infer<typeof ticket.EventDto>;
export type TicketListQuery = z.input<typeof ticket.TicketListQuery>;
export type Problem = z.infer<typeof common.Problem>;
