import dayjs from "dayjs";
import type { Message, Ticket } from "../../api/types";
import { t } from "../../i18n";

/** How many of the latest notes and replies a handover summary quotes, and how long each quote may be. */
export const HANDOVER_MESSAGES = 4;
export const HANDOVER_QUOTE_CHARS = 240;

/** One line of text: whitespace collapsed, cut at a word near `max` characters with an ellipsis. */
export function trimQuote(text: string, max = HANDOVER_QUOTE_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The handover note an escalation starts with: what the customer needs and what staff tried, from the
 * latest internal notes and public replies (customer messages are what they asked, not what was tried).
 * The agent edits it before sending; the line for what the next team should do is left for them.
 */
export function handoverSummary(ticket: Pick<Ticket, "subject">, messages: Pick<Message, "kind" | "body" | "createdAt">[]): string {
  const tried = messages
    .filter((m) => m.kind === "internal" || m.kind === "public")
    .slice(-HANDOVER_MESSAGES)
    .map((m) =>
      t(m.kind === "internal" ? "escalation.handover.note" : "escalation.handover.reply", {
        when: dayjs(m.createdAt).format("ddd D MMM HH:mm"),
        text: trimQuote(m.body),
      }),
    );
  return [
    t("escalation.handover.need", { subject: trimQuote(ticket.subject, 200) }),
    "",
    t("escalation.handover.tried"),
    ...(tried.length ? tried : [t("escalation.handover.nothingTried")]),
    "",
    t("escalation.handover.ask"),
  ].join("\n");
}
