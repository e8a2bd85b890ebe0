import type { SlaStepSpec } from "../../schemas/sla.schemas.js";
import type { Channel, CustomerTier, Priority, SlaMetric, TicketStatus } from "../vocabulary.js";
import { isoDurationMs } from "./duration.js";

/** A policy as the SLA code uses it (the row, with its steps typed). */
export type SlaPolicy = {
  id: string;
  name: string;
  position: number;
  active: boolean;
  conditions: { priorities?: Priority[]; customerTiers?: CustomerTier[]; categories?: string[]; channels?: Channel[]; teamIds?: string[] };
  calendarId: string | null;
  pauseStatuses: string[];
  targets: Partial<Record<SlaMetric, Partial<Record<Priority, string>>>>;
  steps: SlaStepSpec[];
  ackTimeout: string | null;
  resolutionCountsAsResponse: boolean;
};

/** What a policy's conditions look at. */
export type TicketFacts = { priority: Priority; channel: Channel; category: string | null; teamId: string; customerTier: CustomerTier };

/** The first active policy, by position, whose every condition the ticket meets; an absent condition matches all. */
export function matchPolicy<P extends SlaPolicy>(policies: P[], t: TicketFacts): P | null {
  const sorted = [...policies].filter((p) => p.active).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  return (
    sorted.find((p) => {
      const c = p.conditions;
      return (
        (!c.priorities?.length || c.priorities.includes(t.priority)) &&
        (!c.customerTiers?.length || c.customerTiers.includes(t.customerTier)) &&
        (!c.categories?.length || (t.category !== null && c.categories.includes(t.category))) &&
        (!c.channels?.length || c.channels.includes(t.channel)) &&
        (!c.teamIds?.length || c.teamIds.includes(t.teamId))
      );
    }) ?? null
  );
}

/** The working time a policy allows for a metric at a priority, or null when it sets none. */
export function targetMsOf(policy: SlaPolicy, metric: SlaMetric, priority: Priority): number | null {
  const iso = policy.targets[metric]?.[priority];
  return iso ? isoDurationMs(iso) : null;
}

/** Whether a status pauses the policy's clocks. */
export function pausesIn(policy: SlaPolicy, status: TicketStatus): boolean {
  return policy.pauseStatuses.includes(status);
}
