/** Texts of the portal screens. Keys start with "portal.". */
export const portal = {
} as const;
