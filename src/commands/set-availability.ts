import { eq } from "drizzle-orm";
import { agents } from "../db/schema.js";
import { requireAgent } from "../policies/organisation.policy.js";
import type { CommandContext } from "./context.js";

/** An agent sets their own availability (online, away, offline); routing assigns only to online agents. */
export async function setAvailability(ctx: CommandContext, availability: "online" | "away" | "offline"): Promise<{ availability: string }> {
  const agent = requireAgent(ctx.actor, "set an availability");
  await ctx.db.update(agents).set({ availability }).where(eq(agents.id, agent.id));
  return { availability };
}
