import { cannedReplies, type CannedReply } from "../db/schema.js";
import { assertValidCannedBody } from "../domain/canned/canned-placeholders.js";
import { AppError } from "../domain/errors.js";
import { actorIdOf } from "../domain/principal.js";
import { authorizeCannedReplies } from "../policies/canned-reply.policy.js";
import type { CreateCannedReplyInput } from "../schemas/canned-reply.schemas.js";
import type { CommandContext } from "./context.js";
import { isUniqueViolation } from "./support/db-errors.js";

/** Adds a canned reply (leads, managers, admins); its placeholders are checked so it always renders. */
export async function createCannedReply(ctx: CommandContext, input: CreateCannedReplyInput): Promise<CannedReply> {
  authorizeCannedReplies(ctx.actor, "manage");
  assertValidCannedBody(input.body);
  const now = ctx.clock.now();
  try {
    const [row] = await ctx.db
      .insert(cannedReplies)
      .values({ title: input.title, body: input.body, createdById: ctx.actor.kind === "agent" ? actorIdOf(ctx.actor) : null, createdAt: now, updatedAt: now })
      .returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("canned_reply_exists", `A canned reply titled "${input.title}" already exists.`);
    throw err;
  }
}
