import { ApiProblem } from "./problem";

export const API = "/api/v1";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RequestOptions = {
  body?: unknown;
  /** A raw body (YAML text, a FormData upload) sent as it is. */
  raw?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
  /** Extra request headers (e.g. `If-Match`). */
  headers?: Record<string, string>;
  /** Called with the headers of a successful answer (e.g. to keep its `ETag`). */
  onHeaders?: (headers: Headers) => void;
};

/** Listeners told when any call answers 401 (the session ended): the app sends the person to log in. */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/**
 * The one way the app calls the API: same-origin with the session cookie, JSON in and out. Every non-2xx
 * answer becomes an ApiProblem here, and only here, so screens handle one error type.
 */
export async function apiFetch<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.body);
  } else if (opts.contentType) headers["content-type"] = opts.contentType;
  let res: Response;
  try {
    res = await fetch(path.startsWith("/api") ? path : `${API}${path}`, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiProblem(0, { code: "network", detail: "The server could not be reached." });
  }
  if (res.ok) opts.onHeaders?.(res.headers);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    if (res.status === 401 && !path.includes("/auth/login")) for (const l of unauthenticatedListeners) l();
    const problem = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : { detail: text.slice(0, 300) };
    throw new ApiProblem(res.status, problem);
  }
  return (parsed ?? text) as T;
}

/** Builds a query string from defined values only (arrays repeat the key). */
export function queryString(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
    else search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

/**
 * Every item of a paged list, following `nextCursor` page by page (200 a page, the API's most). For lists
 * that are short by nature: an organisation's teams, a ticket's messages; never the ticket list.
 */
export async function fetchAllPages<T>(path: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: T[]; nextCursor: string | null } = await apiFetch("GET", `${path}${queryString({ ...params, limit: 200, cursor })}`);
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
