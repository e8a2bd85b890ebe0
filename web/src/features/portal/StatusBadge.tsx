import { Badge } from "@mantine/core";
import type { CustomerTicket } from "../../api/types";
import { plainStatus, plainStatusLabel } from "./plain-status";

const COLOURS = { working: "blue", waiting: "orange", solved: "green" } as const;

/** A request's plain-language status as a badge (light variant: its text passes contrast in both schemes). */
export function StatusBadge({ status }: { status: CustomerTicket["status"] }) {
  return (
    <Badge color={COLOURS[plainStatus(status)]} variant="light" size="lg" radius="sm" tt="none">
      {plainStatusLabel(status)}
    </Badge>
  );
}
