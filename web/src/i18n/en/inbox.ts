/** Texts of the inbox screens. Keys start with "inbox.". */
export const inbox = {
} as const;
