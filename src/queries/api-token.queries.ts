import { and, eq } from "drizzle-orm";
import { apiTokens } from "../db/schema.js";
import type { CommandContext } from "../commands/context.js";
import { authorizeApiTokens } from "../policies/organisation.policy.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** What is shown of a token: never the token or its hash. */
export const API_TOKEN_COLUMNS = {
  id: apiTokens.id,
  name: apiTokens.name,
  agentId: apiTokens.agentId,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};
export type ApiTokenInfo = { id: string; name: string; agentId: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

/** An agent's API tokens, revoked ones included, oldest first, a page at a time (see `authorizeApiTokens` for whose). */
export async function listApiTokens(ctx: CommandContext, agentId: string | undefined, q: PageInput): Promise<Page<ApiTokenInfo>> {
  const owner = authorizeApiTokens(ctx.actor, agentId);
  return pageInOrder(
    q,
    "tu",
    [apiTokens.createdAt, apiTokens.id],
    (after, order, limit) =>
      ctx.db
        .select(API_TOKEN_COLUMNS)
        .from(apiTokens)
        .where(and(eq(apiTokens.agentId, owner), after))
        .orderBy(...order)
        .limit(limit),
    (t) => [t.createdAt, t.id],
  );
}
