import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { escalationRules, slaClocks } from "../db/schema.js";
import { PRIORITIES, type Priority } from "../domain/vocabulary.js";
import { authorizePortalSettingsRead } from "../policies/portal.policy.js";
import { CUSTOMER_UPDATE_METRICS } from "../schemas/portal.schemas.js";
import { readSettings } from "./settings.queries.js";
import { getTicket } from "./ticket.queries.js";

export type PortalSettings = { customerMayChoosePriority: boolean; priorities: Priority[]; categories: string[] };

/**
 * What the portal's new-ticket form offers: a priority only where the admin lets customers choose it (and
 * never urgent, which pages people), and the categories the active routing rules route by.
 */
export async function getPortalSettings(ctx: CommandContext): Promise<PortalSettings> {
  authorizePortalSettingsRead(ctx.actor);
  const { customerMayChoosePriority } = await readSettings(ctx.db);
  const rules = await ctx.db.select({ conditions: escalationRules.conditions }).from(escalationRules).where(eq(escalationRules.active, true));
  const categories = new Set<string>();
  for (const rule of rules) {
    for (const c of rule.conditions) {
      if (c.field === "category" && c.op === "in" && Array.isArray(c.value)) for (const v of c.value) if (typeof v === "string" && v.trim()) categories.add(v.trim());
    }
  }
  return {
    customerMayChoosePriority,
    priorities: customerMayChoosePriority ? PRIORITIES.filter((p) => p !== "urgent") : [],
    categories: [...categories].sort((a, b) => a.localeCompare(b)),
  };
}

export type NextUpdate = { dueAt: Date | null; metric: (typeof CUSTOMER_UPDATE_METRICS)[number] | null; overdue: boolean };

/**
 * When the ticket's customer should next hear from us: the earliest due time of its live response and
 * update clocks that are counting (not paused while we wait for the customer, not stopped). Only the
 * time and which promise it is; no targets, policies or staff data. For whoever may see the ticket.
 */
export async function getNextUpdate(ctx: CommandContext, ticketId: string): Promise<NextUpdate> {
  await getTicket(ctx, ticketId);
  const [clock] = await ctx.db
    .select({ dueAt: slaClocks.dueAt, metric: slaClocks.metric })
    .from(slaClocks)
    .where(
      and(
        eq(slaClocks.ticketId, ticketId),
        isNull(slaClocks.stoppedAt),
        inArray(slaClocks.state, ["running", "breached"]),
        inArray(slaClocks.metric, [...CUSTOMER_UPDATE_METRICS]),
        isNotNull(slaClocks.dueAt),
      ),
    )
    .orderBy(asc(slaClocks.dueAt))
    .limit(1);
  if (!clock?.dueAt) return { dueAt: null, metric: null, overdue: false };
  return { dueAt: clock.dueAt, metric: clock.metric as NextUpdate["metric"], overdue: clock.dueAt.getTime() <= ctx.clock.now().getTime() };
}
