import { z } from "zod";
import { CANNED_PLACEHOLDERS } from "../domain/canned/canned-placeholders.js";
import { IsoDateTime, PageQuery, Uuid } from "./common.js";

const placeholderList = CANNED_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ");

const fields = {
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(20_000).describe(`the reply text; it may use ${placeholderList}`),
};

export const CreateCannedReplyBody = z.object(fields);
export const UpdateCannedReplyBody = z
  .object(fields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });

export const CannedReplyDto = z
  .object({
    id: Uuid,
    title: z.string(),
    body: z.string(),
    createdById: Uuid.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: "CannedReply" });

export const CannedReplyListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(120).optional().describe("only replies whose title contains this (any case)"),
});

export const RenderCannedReplyQuery = z.object({ ticketId: Uuid.describe("the ticket whose customer, number and subject fill the placeholders") });

export const RenderedCannedReplyDto = z
  .object({ id: Uuid, title: z.string(), body: z.string().describe("the reply with its placeholders filled for the ticket and the caller") })
  .meta({ id: "RenderedCannedReply" });

export type CreateCannedReplyInput = z.infer<typeof CreateCannedReplyBody>;
export type UpdateCannedReplyInput = z.infer<typeof UpdateCannedReplyBody>;
export type CannedReplyListInput = z.infer<typeof CannedReplyListQuery>;
