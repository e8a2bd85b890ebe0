/**
 * The message of an error's innermost cause. drizzle wraps a driver error as "Failed query: <SQL> params:
 * <values>", and those values would put a customer's mail into the log; the driver's own message says
 * what went wrong without them.
 */
export function causeMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
