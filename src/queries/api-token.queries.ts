import { asc, eq } from "drizzle-orm";
import { apiTokens } from "../db/schema.js";
import type { CommandContext } from "../commands/context.js";
import { authorizeApiTokens } from "../policies/organisation.policy.js";

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

/** An agent's API tokens, revoked ones included, oldest first (see `authorizeApiTokens` for whose). */
export async function listApiTokens(ctx: CommandContext, agentId: string | undefined): Promise<ApiTokenInfo[]> {
  const owner = authorizeApiTokens(ctx.actor, agentId);
  return ctx.db.select(API_TOKEN_COLUMNS).from(apiTokens).where(eq(apiTokens.agentId, owner)).orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}
