/** A first-response SLA clock as far as the customer's escalation guardrail cares. */
export type FirstResponseClock = { state: string; dueAt: Date | null; breachedAt: Date | null; stoppedAt: Date | null };

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * From when a ticket's customer may ask for escalation: once the ticket is `minAgeMinutes` old, or once its
 * first-response target is missed, whichever comes first. A running clock counts from its due time even
 * before the deadline engine has marked it breached; a paused or met clock brings nothing forward.
 */
export function escalationAllowedFrom(ticketCreatedAt: Date, minAgeMinutes: number, firstResponse: FirstResponseClock[]): Date {
  let from = ticketCreatedAt.getTime() + minAgeMinutes * MINUTE_MS;
  for (const c of firstResponse) {
    if (c.breachedAt) from = Math.min(from, c.breachedAt.getTime());
    else if (c.state === "running" && c.stoppedAt === null && c.dueAt) from = Math.min(from, c.dueAt.getTime());
  }
  return new Date(from);
}

/**
 * When a customer who made `recent` requests (creation times within the last 24 hours, newest first) may
 * make another under a limit of `dailyLimit` per 24 hours: null when they may now, otherwise when the
 * oldest request that counts against the limit leaves the window.
 */
export function nextRequestAllowedAt(recent: Date[], dailyLimit: number): Date | null {
  if (recent.length < dailyLimit) return null;
  return new Date(recent[dailyLimit - 1]!.getTime() + DAY_MS);
}

/** The 24-hour window the daily limit counts in, ending at `now`. */
export const dailyWindowStart = (now: Date): Date => new Date(now.getTime() - DAY_MS);
