/** Texts of the escalation screens. Keys start with "escalation.". */
export const escalation = {
} as const;
