/** PostgreSQL's SQLSTATE for a unique violation; PGlite reports the same codes. */
const UNIQUE_VIOLATION = "23505";

/** True when an error (or the driver error drizzle wrapped in it) is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}
