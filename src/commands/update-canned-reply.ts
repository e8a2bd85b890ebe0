import { eq } from "drizzle-orm";
import { cannedReplies, type CannedReply } from "../db/schema.js";
import { assertValidCannedBody } from "../domain/canned/canned-placeholders.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeCannedReplies } from "../policies/canned-reply.policy.js";
import type { UpdateCannedReplyInput } from "../schemas/canned-reply.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Changes a canned reply's title or text (leads, managers, admins). */
export async function updateCannedReply(ctx: CommandContext, id: string, input: UpdateCannedReplyInput): Promise<CannedReply> {
  authorizeCannedReplies(ctx.actor, "manage");
  if (input.body !== undefined) assertValidCannedBody(input.body);
  try {
    const [row] = await ctx.db
      .update(cannedReplies)
      .set({ ...input, updatedAt: ctx.clock.now() })
      .where(eq(cannedReplies.id, id))
      .returning();
    if (!row) throw notFound("canned_reply_not_found", "Canned reply", id);
    return row;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("canned_reply_exists", `A canned reply titled "${input.title}" already exists.`);
    throw err;
  }
}
