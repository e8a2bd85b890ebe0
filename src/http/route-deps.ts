import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Config } from "../config.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { Problem } from "../schemas/common.js";

export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What route modules need: the store, the clock and the configuration. */
export type RouteDeps = { store: Store; clock: Clock; config: Config; sessionSecret: string };

/** The error responses a route documents in OpenAPI, besides its success response. */
export const problems = (...statuses: (400 | 401 | 403 | 404 | 409 | 410 | 412 | 422 | 429)[]) =>
  Object.fromEntries(statuses.map((s) => [s, Problem])) as Record<number, typeof Problem>;
