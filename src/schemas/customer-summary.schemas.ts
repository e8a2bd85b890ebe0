import { z } from "zod";
import { PRIORITIES, TICKET_STATUSES } from "../domain/vocabulary.js";
import { IsoDateTime, Uuid } from "./common.js";
import { AccountDto, CustomerDto } from "./organisation.schemas.js";

/** A customer as the ticket page's side panel shows them: who, their account and value, their open tickets. */
export const CustomerSummaryDto = z
  .object({
    customer: CustomerDto,
    account: AccountDto.nullable(),
    openTickets: z
      .array(
        z.object({
          id: Uuid,
          number: z.number().int(),
          subject: z.string(),
          status: z.enum(TICKET_STATUSES),
          priority: z.enum(PRIORITIES),
          createdAt: IsoDateTime,
        }),
      )
      .describe("the customer's tickets that are not resolved or closed and that the caller may see, newest first (at most 20)"),
    openTicketCount: z.number().int().describe("how many of those there are in all"),
    ticketCount: z.number().int().describe("all the customer's tickets the caller may see"),
  })
  .meta({ id: "CustomerSummary" });
