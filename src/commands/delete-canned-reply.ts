import { eq } from "drizzle-orm";
import { cannedReplies } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { authorizeCannedReplies } from "../policies/canned-reply.policy.js";
import type { CommandContext } from "./context.js";

/** Deletes a canned reply (leads, managers, admins); messages written from it keep their text. */
export async function deleteCannedReply(ctx: CommandContext, id: string): Promise<void> {
  authorizeCannedReplies(ctx.actor, "manage");
  const deleted = await ctx.db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning({ id: cannedReplies.id });
  if (deleted.length === 0) throw notFound("canned_reply_not_found", "Canned reply", id);
}
