import { Avatar, Group, Indicator, Tooltip } from "@mantine/core";
import type { Presence } from "../../api/tickets";
import { t } from "../../i18n";

/** The other agents on the ticket, as avatars; a dot while one is typing. */
export function PresenceAvatars({ others }: { others: Presence[] }) {
  if (others.length === 0) return null;
  return (
    <Group gap={4} role="group" aria-label={t("ticket.presence")}>
      {others.map((p) => {
        const label = t(p.state === "typing" ? "ticket.presence.typing" : "ticket.presence.viewing", { name: p.name });
        return (
          <Tooltip key={p.agentId} label={label}>
            <Indicator disabled={p.state !== "typing"} processing color="teal" size={9} offset={3}>
              <Avatar name={p.name} color="initials" size="sm" role="img" aria-label={label} data-state={p.state} styles={{ placeholder: { color: "var(--mantine-color-text)" } }} />
            </Indicator>
          </Tooltip>
        );
      })}
    </Group>
  );
}
