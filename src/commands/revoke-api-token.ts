import { and, eq, isNull } from "drizzle-orm";
import { apiTokens } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { API_TOKEN_COLUMNS, type ApiTokenInfo } from "../queries/api-token.queries.js";
import type { CommandContext } from "./context.js";

/**
 * Revokes an API token: it stops working at once and stays listed with `revokedAt`. An agent revokes
 * their own tokens, an admin anyone's; another agent's token is not found. Revoking twice keeps the first time.
 */
export async function revokeApiToken(ctx: CommandContext, tokenId: string): Promise<ApiTokenInfo> {
  const now = ctx.clock.now();
  const me = requireAgent(ctx.actor, "have API tokens");
  const [row] = await ctx.db.select(API_TOKEN_COLUMNS).from(apiTokens).where(eq(apiTokens.id, tokenId));
  // Another agent's token is not disclosed to a non-admin: not found, as an unknown one.
  if (!row || (row.agentId !== me.id && me.role !== "admin")) throw notFound("api_token_not_found", "API token", tokenId);
  const [revoked] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning(API_TOKEN_COLUMNS);
  return revoked ?? row;
}
