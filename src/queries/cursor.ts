import { and, asc, eq, gt, or, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { AppError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";

export type Page<T> = { data: T[]; nextCursor: string | null };
type Key = (string | number)[];

/** An opaque cursor: the sort key of the last row of a page. */
export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * Whether one part of a cursor key has the expected kind: 'n' a safe integer, 'i' a 32-bit integer
 * (an `integer` column), 'u' a UUID, 't' a time (ISO 8601), 's' a string. A forged cursor must fail here:
 * a value the column cannot hold (a huge number, a non-UUID id, a non-time, a NUL character) would
 * otherwise fail in the database as a 500.
 */
function fitsKind(v: unknown, kind: string | undefined): boolean {
  switch (kind) {
    case "n":
      return Number.isSafeInteger(v);
    case "i":
      return Number.isSafeInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31;
    case "u":
      return isUuid(v);
    case "t":
      return typeof v === "string" && !Number.isNaN(Date.parse(v));
    case "s":
      return typeof v === "string" && !v.includes("\u0000");
    default:
      return false;
  }
}

/**
 * The sort key a cursor carries, checked against the expected shape (one letter per part, see `fitsKind`),
 * or null when there is no cursor. A cursor that was not made by us is a validation error on `cursor`.
 */
export function decodeCursor(cursor: string | undefined, shape: string): Key | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === shape.length && key.every((v, i) => fitsKind(v, shape[i]))) {
      return key as Key;
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("validation_failed", "The cursor is not one this API returned.", [{ path: "querystring.cursor", message: "is not a valid cursor" }]);
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

export type PageInput = { limit: number; cursor?: string | undefined };

/**
 * One page of rows in ascending order of two columns (the second unique within the first), after the
 * opaque cursor. `fetch` runs the list's own query with the keyset condition (undefined on the first page),
 * the order and the limit (one more than the page, to tell whether another page follows).
 */
export async function pageInOrder<T>(
  q: PageInput,
  shape: string,
  [first, second]: [AnyPgColumn, AnyPgColumn],
  fetch: (after: SQL | undefined, order: SQL[], limit: number) => Promise<T[]>,
  keyOf: (row: T) => (string | number)[],
): Promise<Page<T>> {
  const after = decodeCursor(q.cursor, shape);
  const condition = after ? keysetAfter(first, second, after[0], after[1]) : undefined;
  return toPage(await fetch(condition, [asc(first), asc(second)], q.limit + 1), q.limit, keyOf);
}
