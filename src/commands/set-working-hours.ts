import { eq } from "drizzle-orm";
import { agents, agentTeams, calendars } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import { notFound } from "../domain/errors.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import type { AgentWithTeams } from "./create-agent.js";
import type { CommandContext } from "./context.js";

export async function assertCalendarExists(db: Db | Tx, calendarId: string): Promise<void> {
  const [row] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, calendarId));
  if (!row) throw notFound("calendar_not_found", "Calendar", calendarId);
}

/**
 * Sets an agent's working hours (admins only): a calendar, or null for any time. Routing assigns tickets
 * to the agent only while the calendar is open, on top of their online/away availability.
 */
export async function setWorkingHours(ctx: CommandContext, agentId: string, calendarId: string | null): Promise<AgentWithTeams> {
  authorizeOrganisation(ctx.actor, "manage", "agents' working hours");
  if (calendarId) await assertCalendarExists(ctx.db, calendarId);
  const [agent] = await ctx.db.update(agents).set({ calendarId }).where(eq(agents.id, agentId)).returning();
  if (!agent) throw notFound("agent_not_found", "Agent", agentId);
  const memberships = await ctx.db.select({ teamId: agentTeams.teamId }).from(agentTeams).where(eq(agentTeams.agentId, agentId));
  return { ...agent, teamIds: memberships.map((m) => m.teamId) };
}
