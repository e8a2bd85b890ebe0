// placeholder: the escalation slice provides this
import type { Ticket } from "../../api/types";

export function ResolutionsPanel(_props: { ticket: Ticket }) {
  return null;
}
