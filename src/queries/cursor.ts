import { and, asc, desc, eq, gt, lt, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { AppError } from "../domain/errors.js";
import { isUuid } from "../domain/ids.js";

export type Page<T> = { data: T[]; nextCursor: string | null };
export type PageInput = { limit: number; cursor?: string | undefined };

/**
 * The kind of one part of a sort key, one letter each: 'n' a safe integer (a `bigint` or serial column),
 * 'i' a 32-bit integer (an `integer` column), 'u' a UUID, 't' a time (a `timestamptz` column), 's' text.
 * A cursor's shape is one letter per part ("tu": a time, then a UUID).
 */
export type KeyKind = "n" | "i" | "u" | "t" | "s";
/** One part of a sort key as a row holds it and as a decoded cursor gives it back ('t' parts are Dates). */
export type KeyValue = number | string | Date;

/** The earliest and latest times a cursor may carry: far outside any row, well inside what PostgreSQL and JS hold. */
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** Exactly the form `Date.prototype.toISOString` writes for the years 1900–9999. */
const ISO_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An opaque cursor: the sort key of the last row of a page (times as ISO 8601 UTC). */
export function encodeCursor(key: KeyValue[]): string {
  return Buffer.from(JSON.stringify(key.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString("base64url");
}

/**
 * One part of a forged-or-not cursor as the column's value, or undefined when the column cannot hold it.
 * A forged cursor must fail here: a value out of the column's range (a huge number, a non-UUID id, a time in
 * the year 275760 that PostgreSQL reads as a time zone displacement, a NUL character) would otherwise
 * fail in the database as a 500.
 */
function decodePart(v: unknown, kind: string | undefined): KeyValue | undefined {
  switch (kind) {
    case "n":
      return Number.isSafeInteger(v) ? (v as number) : undefined;
    case "i":
      return Number.isSafeInteger(v) && (v as number) >= -(2 ** 31) && (v as number) < 2 ** 31 ? (v as number) : undefined;
    case "u":
      return isUuid(v) ? v : undefined;
    case "t": {
      if (typeof v !== "string" || !ISO_MILLIS.test(v)) return undefined;
      const time = new Date(v);
      const ms = time.getTime();
      // The round trip refuses what Date would quietly move (2026-02-30 → March 2nd).
      return ms >= EARLIEST && ms <= LATEST && time.toISOString() === v ? time : undefined;
    }
    case "s":
      return typeof v === "string" && !v.includes("\u0000") && !/\p{Cs}/u.test(v) ? v : undefined;
    default:
      return undefined;
  }
}

/** The answer to any cursor this API did not make. */
export function invalidCursor(): AppError {
  return new AppError("validation_failed", "The cursor is not one this API returned.", [{ path: "querystring.cursor", message: "is not a valid cursor" }]);
}

/**
 * The sort key a cursor carries, checked against the expected shape (one letter per part, see `KeyKind`),
 * with times as Dates; null when there is no cursor. A cursor that was not made by us is a validation
 * error on `cursor` (400), never a database error.
 */
export function decodeCursor(cursor: string | undefined, shape: string): KeyValue[] | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(key) || key.length !== shape.length) throw invalidCursor();
  const values = key.map((v, i) => decodePart(v, shape[i]));
  if (values.some((v) => v === undefined)) throw invalidCursor();
  return values as KeyValue[];
}

/** Cuts a page out of `limit + 1` fetched rows; the extra row only tells that there is a next page. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => KeyValue[]): Page<T> {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/**
 * A column as the sort uses it: a time truncated to the millisecond a cursor (and a JS Date) can carry.
 * A `defaultNow()` column holds microseconds; compared untruncated, the last row of a page would sort after
 * its own cursor and come back on the next page (and rows sharing one `now()` would repeat forever).
 */
function sortable(column: AnyPgColumn, kind: KeyKind): SQL {
  return kind === "t" ? sql`date_trunc('milliseconds', ${column})` : sql`${column}`;
}

/** A decoded cursor part as a bound parameter (times typed, since they meet an expression, not a column). */
function bound(value: KeyValue): SQL {
  return value instanceof Date ? sql`${value.toISOString()}::timestamptz` : sql`${value}`;
}

export type Direction = "asc" | "desc";

/**
 * One page of rows in the order of one column, or of two (the second unique within the first), after the
 * opaque cursor: the one way every list pages. `shape` gives each column's kind (see `KeyKind`); `fetch`
 * runs the list's own query with the keyset condition (undefined on the first page), the order and the
 * limit (one more than the page, to tell whether another page follows); `keyOf` gives a row's sort key.
 */
export async function pageInOrder<T>(
  q: PageInput,
  shape: `${KeyKind}` | `${KeyKind}${KeyKind}`,
  columns: [AnyPgColumn] | [AnyPgColumn, AnyPgColumn],
  fetch: (after: SQL | undefined, order: SQL[], limit: number) => Promise<T[]>,
  keyOf: (row: T) => KeyValue[],
  direction: Direction = "asc",
): Promise<Page<T>> {
  const kinds = [...shape] as KeyKind[];
  if (kinds.length !== columns.length) throw new Error(`cursor shape ${shape} does not fit ${columns.length} sort columns`);
  const sorted = columns.map((c, i) => sortable(c, kinds[i]!));
  const after = decodeCursor(q.cursor, shape);
  const beyond = direction === "asc" ? gt : lt;
  let condition: SQL | undefined;
  if (after) {
    const [first, second] = sorted;
    const [v0, v1] = after.map(bound);
    condition = second === undefined ? beyond(first!, v0) : or(beyond(first!, v0), and(eq(first!, v0), beyond(second, v1)));
  }
  const order = sorted.map((c) => (direction === "asc" ? asc(c) : desc(c)));
  return toPage(await fetch(condition, order, q.limit + 1), q.limit, keyOf);
}
