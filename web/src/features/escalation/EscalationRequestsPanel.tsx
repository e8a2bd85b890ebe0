// placeholder: the escalation slice provides this
import type { Ticket } from "../../api/types";

export function EscalationRequestsPanel(_props: { ticket: Ticket }) {
  return null;
}
