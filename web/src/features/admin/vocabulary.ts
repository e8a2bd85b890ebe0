import { t, type MessageKey } from "../../i18n";

// The domain's closed lists as the forms offer them (the server's vocabulary module pulls in server code).
export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TIERS = ["standard", "priority", "vip"] as const;
export const CHANNELS = ["email", "web", "chat", "phone", "social", "api"] as const;
export const STATUSES = ["new", "open", "pending", "on_hold", "resolved", "closed"] as const;
export const TRIGGERS = ["ticket.created", "message.received", "ticket.updated", "time"] as const;

/** Select options for a list, labelled from the catalogue (`<prefix>.<value>`). */
export const optionsOf = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
