/** Texts of the ticket screens. Keys start with "ticket.". */
export const ticket = {
} as const;
