import { Badge } from "@mantine/core";
import type { CustomerTicket } from "../../api/types";
import { plainStatus, plainStatusLabel } from "./plain-status";

const COLOURS = { working: "blue", waiting: "orange", solved: "green" } as const;

/** A request's plain-language status as a badge (light variant: its text passes contrast in both schemes). */
export function StatusBadge({ status }: { status: CustomerTicket["status"] }) {
  return (
    <Badge
      color={COLOURS[plainStatus(status)]}
      variant="light"
      size="lg"
      radius="sm"
      tt="none"
      // The words wrap on a narrow screen rather than being cut off.
      styles={{ root: { height: "auto", minHeight: "var(--badge-height)", paddingBlock: 4 }, label: { whiteSpace: "normal", overflow: "visible", textOverflow: "clip" } }}
    >
      {plainStatusLabel(status)}
    </Badge>
  );
}
