/** Texts of the admin screens. Keys start with "admin.". */
export const admin = {
} as const;
