import { notifications } from "@mantine/notifications";
import { t } from "../../i18n";

/** Confirms a done action in a notification whose close button has a name (axe: button-name). */
export function notifyDone(message: string, color: "teal" | "orange" = "teal"): void {
  notifications.show({ color, message, closeButtonProps: { "aria-label": t("escalation.close") } });
}
