import type { EscalationReason } from "./vocabulary.js";

/**
 * The catalogue of escalation reason codes with what people read: a label for pickers and reports and a
 * line saying when to use it. `satisfies` makes a reason added to ESCALATION_REASONS without a label a
 * type error.
 */
export const ESCALATION_REASON_CATALOGUE = {
  needs_expertise: { label: "Needs expertise", description: "The issue needs knowledge or access the current team does not have." },
  authority_required: { label: "Authority required", description: "A refund, credit or exception above the current team's authority." },
  customer_request: { label: "Customer request", description: "The customer asked for the ticket to be escalated." },
  sla_breach: { label: "SLA breach", description: "A service-level target was missed or is about to be." },
  legal_risk: { label: "Legal risk", description: "Legal threats, regulatory complaints or contractual exposure." },
  recurring_issue: { label: "Recurring issue", description: "The same problem keeps coming back for this customer or product." },
  vip_impact: { label: "VIP impact", description: "A key account or high-value customer is affected." },
  outage: { label: "Outage", description: "Part of the service is down for several customers." },
  security: { label: "Security", description: "A suspected breach, vulnerability or account compromise." },
  complaint: { label: "Complaint", description: "The customer is unhappy with how the issue has been handled." },
  not_acknowledged: { label: "Not acknowledged", description: "An earlier escalation was not taken over in time (automatic)." },
} satisfies Record<EscalationReason, { label: string; description: string }>;
