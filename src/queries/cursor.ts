import { and, eq, gt, or, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { AppError } from "../domain/errors.js";

export type Page<T> = { data: T[]; nextCursor: string | null };
type Key = (string | number)[];

/** An opaque cursor: the sort key of the last row of a page. */
export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The sort key a cursor carries, checked against the expected shape ('s' string, 'n' number), or null
 * when there is no cursor. A cursor that was not made by us is a validation error on `cursor`.
 */
export function decodeCursor(cursor: string | undefined, shape: string): Key | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(key) &&
      key.length === shape.length &&
      key.every((v, i) => (shape[i] === "n" ? Number.isSafeInteger(v) : typeof v === "string"))
    ) {
      return key as Key;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("validation_failed", "The cursor is not one this API returned.", [{ path: "cursor", message: "is not a valid cursor" }]);
}

/** Cuts a page out of `limit + 1` fetched rows; the extra row only tells that there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Key): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/** Rows after (first, id) in ascending order of both: the keyset condition for a two-column sort. */
export function keysetAfter(first: AnyPgColumn, id: AnyPgColumn, firstValue: unknown, idValue: unknown): SQL {
  return or(gt(first, firstValue), and(eq(first, firstValue), gt(id, idValue)))!;
}
