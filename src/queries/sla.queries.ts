import { eq } from "drizzle-orm";
import { slaClocks, slaPolicies, type SlaClock, type SlaPolicyRow } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { SLA_METRICS } from "../domain/vocabulary.js";
import { requireAgent } from "../policies/organisation.policy.js";
import { authorizeSlaSetup } from "../policies/sla.policy.js";
import { WorkingTimeCache } from "../sla/working-time.js";
import type { CommandContext } from "../commands/context.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";
import { getTicket } from "./ticket.queries.js";

/** SLA policies in the order they are matched: by position, then name. */
export async function listSlaPolicies(ctx: CommandContext, q: PageInput): Promise<Page<SlaPolicyRow>> {
  authorizeSlaSetup(ctx.actor, "read", "SLA policies");
  return pageInOrder(q, "is", [slaPolicies.position, slaPolicies.name], (after, order, limit) =>
    ctx.db.select().from(slaPolicies).where(after).orderBy(...order).limit(limit), (p) => [p.position, p.name]);
}

/** One SLA policy. */
export async function getSlaPolicy(ctx: CommandContext, policyId: string): Promise<SlaPolicyRow> {
  authorizeSlaSetup(ctx.actor, "read", "SLA policies");
  const [row] = await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, policyId));
  if (!row) throw notFound("sla_policy_not_found", "SLA policy", policyId);
  return row;
}

/** A clock as read now: its row, the working time it has left, and whether its calendar is closed now. */
export type ClockReading = SlaClock & {
  /** Working time left to the target (negative once past it), in the calendar of its policy. */
  businessRemainingMs: number;
  /** A running clock whose calendar is closed now: it counts no time until business hours resume. */
  isOutsideHours: boolean;
};

/**
 * A ticket's SLA clocks, live and stopped, oldest first (clocks started together in metric order), for
 * staff who can see the ticket. A running clock's `elapsedMs` includes its current span up to now, in
 * the working time of its policy's calendar; `businessRemainingMs` is what is left of the target in that
 * same working time.
 */
export async function listClocks(ctx: CommandContext, ticketId: string): Promise<ClockReading[]> {
  requireAgent(ctx.actor, "see SLA clocks");
  await getTicket(ctx, ticketId);
  const rows = await ctx.db
    .select({ clock: slaClocks, calendarId: slaPolicies.calendarId })
    .from(slaClocks)
    .innerJoin(slaPolicies, eq(slaPolicies.id, slaClocks.policyId))
    .where(eq(slaClocks.ticketId, ticketId));
  const now = ctx.clock.now();
  const calendars = new WorkingTimeCache(ctx.db);
  const clocks: ClockReading[] = [];
  for (const { clock, calendarId } of rows) {
    if (clock.runningSince === null) {
      clocks.push({ ...clock, businessRemainingMs: clock.targetMs - clock.elapsedMs, isOutsideHours: false });
      continue;
    }
    const wt = await calendars.of(calendarId);
    const elapsedMs = clock.elapsedMs + wt.between(clock.runningSince, now);
    clocks.push({ ...clock, elapsedMs, businessRemainingMs: clock.targetMs - elapsedMs, isOutsideHours: !wt.isOpen(now) });
  }
  return clocks.sort(
    (a, b) =>
      a.startedAt.getTime() - b.startedAt.getTime() ||
      SLA_METRICS.indexOf(a.metric) - SLA_METRICS.indexOf(b.metric) ||
      a.cycle - b.cycle,
  );
}
