import { apiTokens } from "../db/schema.js";
import { hashToken, newToken } from "../auth/tokens.js";
import { requireAgent } from "../policies/organisation.policy.js";
import type { CommandContext } from "./context.js";

/** Issues a bearer token that acts as the calling agent. The token is returned once and never stored. */
export async function createApiToken(ctx: CommandContext, input: { name: string }) {
  const agent = requireAgent(ctx.actor, "create API tokens");
  const token = newToken("tl_pat");
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({ name: input.name, tokenHash: hashToken(token), agentId: agent.id, createdAt: ctx.clock.now() })
    .returning({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt });
  return { ...row!, token };
}
