import type { FastifyInstance } from "fastify";

type KnownRoute = { pattern: RegExp; method: string };

/** A route path (`/api/v1/tickets/:id`, `/assets/*`) as a pattern matching the concrete paths it serves. */
function patternOf(path: string): RegExp {
  const body = path
    .split("/")
    .map((part) => {
      if (part === "*") return ".*";
      if (part.startsWith(":")) return "[^/]+";
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${body}/?$`);
}

/**
 * Remembers every route as it is registered, so that a request no route answers can be told apart: a path
 * that exists under other methods is 405 with `Allow` naming them, not 404. Call before routes are added.
 */
export function trackRoutes(app: FastifyInstance): (method: string, url: string) => string[] {
  const known: KnownRoute[] = [];
  app.addHook("onRoute", (route) => {
    if (route.url.startsWith("/api/")) {
      for (const method of [route.method].flat()) if (method !== "HEAD" && method !== "OPTIONS") known.push({ pattern: patternOf(route.url), method });
    }
  });
  /** The methods the path is served with, when the request's own method is not one of them. */
  return (method, url) => {
    const path = url.split("?")[0]!;
    const allowed = [...new Set(known.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    return allowed.includes(method) ? [] : allowed;
  };
}
