/** Texts of the board screens. Keys start with "board.". */
export const board = {
} as const;
