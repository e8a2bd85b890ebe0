import type { FastifyInstance } from "fastify";
import { z } from "zod";

/**
 * Every route's query schema refuses parameters it does not know: a misspelt or unsupported filter
 * (`?category=outage` on a list without that filter) must not silently return the unfiltered list.
 * Applied once here, to every route registered after it, so no query schema can forget it; the error
 * handler reports each unknown parameter as its own field (`querystring.category`).
 */
export function registerStrictQueries(app: FastifyInstance): void {
  app.addHook("onRoute", (route) => {
    const query: unknown = route.schema?.querystring;
    if (route.schema && query instanceof z.ZodObject) route.schema = { ...route.schema, querystring: query.strict() };
  });
}
