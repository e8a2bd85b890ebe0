/** Texts of the policy screens. Keys start with "policy.". */
export const policy = {
} as const;
