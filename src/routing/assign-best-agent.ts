import { and, eq, inArray, sql } from "drizzle-orm";
import { agentTeams, agents, tickets, type Ticket } from "../db/schema.js";
import type { Tx } from "../db/store.js";
import { appendEvents, enqueue } from "../commands/support/timeline.js";
import type { Principal } from "../domain/principal.js";
import { chooseAgent, type RoutingChoice } from "../domain/routing/choose-agent.js";
import { WorkingTimeCache } from "../sla/working-time.js";

/**
 * Assigns the ticket (locked by the caller) to the most suitable agent of its team, by `chooseAgent`, and
 * records the choice and its reason on the timeline; when nobody fits, the ticket stays unassigned and
 * the timeline says why. Agents and leads are candidates; managers and admins are not routed work. An agent
 * with a working-hours calendar is a candidate only while it is open.
 */
export async function assignBestAgent(tx: Tx, actor: Principal, now: Date, ticket: Ticket): Promise<RoutingChoice> {
  const members = await tx
    .select({
      id: agents.id,
      name: agents.name,
      skills: agents.skills,
      languages: agents.languages,
      availability: agents.availability,
      capacity: agents.capacity,
      lastAssignedAt: agents.lastAssignedAt,
      calendarId: agents.calendarId,
      openTickets: sql<number>`(select count(*)::int from ${tickets} t where t.assignee_id = ${agents.id}
        and t.status not in ('resolved', 'closed') and t.id <> ${ticket.id})`,
    })
    .from(agents)
    .innerJoin(agentTeams, eq(agentTeams.agentId, agents.id))
    .where(and(eq(agentTeams.teamId, ticket.teamId), eq(agents.active, true), inArray(agents.role, ["agent", "lead"])));
  const language = ticket.tags.find((t) => t.startsWith("lang:"))?.slice(5) ?? null;
  const hours = new WorkingTimeCache(tx);
  const candidates = await Promise.all(members.map(async (m) => ({ ...m, onShift: (await hours.of(m.calendarId)).isOpen(now) })));
  const choice = chooseAgent(candidates, { category: ticket.category, language });
  if (choice.agentId && choice.agentId !== ticket.assigneeId) {
    await tx.update(tickets).set({ assigneeId: choice.agentId, updatedAt: now }).where(eq(tickets.id, ticket.id));
    await tx.update(agents).set({ lastAssignedAt: now }).where(eq(agents.id, choice.agentId));
    // Like an assignment by hand: the new assignee hears of it (mail, webhooks).
    await enqueue(tx, now, "ticket.updated", { ticketId: ticket.id, changes: { assigneeId: { from: ticket.assigneeId, to: choice.agentId } } });
  }
  await appendEvents(tx, actor, now, [
    {
      ticketId: ticket.id,
      type: choice.agentId ? "ticket.assigned" : "ticket.not_assigned",
      visibility: "internal",
      data: { assigneeId: { from: ticket.assigneeId, to: choice.agentId ?? ticket.assigneeId }, why: choice.why },
    },
  ]);
  return choice;
}

