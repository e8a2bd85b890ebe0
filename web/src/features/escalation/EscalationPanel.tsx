// placeholder: the escalation slice provides this
import type { Ticket } from "../../api/types";

export function EscalationPanel(_props: { ticket: Ticket }) {
  return null;
}
