import type { Ticket } from "../../db/schema.js";

/** The fields of a ticket that its timeline records when they change. */
export function ticketSnapshot(t: Ticket) {
  return {
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    category: t.category,
    levelId: t.levelId,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    tags: t.tags,
  };
}
