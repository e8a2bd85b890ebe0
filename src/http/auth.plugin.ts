import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { principalFromApiToken, principalFromSession } from "../auth/resolve-principal.js";
import type { CommandContext } from "../commands/context.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { AppError } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";
import { sendProblem } from "./problem.js";

export const SESSION_COOKIE = "tierline_session";

declare module "fastify" {
  interface FastifyRequest {
    actor: Principal | null;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a signed-in caller (login, health, docs). */
    public?: boolean;
  }
}

/**
 * Resolves the caller of every request before validation, from `Authorization: Bearer <token>` or the
 * signed session cookie. Non-public routes answer 401 without a valid caller, so an unauthenticated
 * request learns nothing about validation or existence.
 */
export function registerAuth(app: FastifyInstance, store: Store, clock: Clock): void {
  app.decorateRequest("actor", null);
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      request.actor = match ? await principalFromApiToken(store.db, match[1]!, clock.now()) : null;
      if (!request.actor) return sendProblem(reply, request, "unauthenticated", "The bearer token is malformed, unknown or revoked.");
      return;
    }
    const token = sessionToken(request);
    if (token) request.actor = await principalFromSession(store.db, token, clock.now());
    // A page of the web app (a deep link that no route matches, outside /api) is the app's shell: public.
    if (!request.actor && !request.routeOptions.config?.public && !(request.is404 && !request.url.startsWith("/api"))) {
      return sendProblem(reply, request, "unauthenticated", "Sign in (POST /api/v1/auth/login) or send an API token as `Authorization: Bearer`.");
    }
  });
}

/** The session token from the signed cookie, or undefined when absent or tampered with. */
export function sessionToken(request: FastifyRequest): string | undefined {
  const raw = request.cookies[SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/** The context for a command run on behalf of the request's caller. */
export function contextOf(request: FastifyRequest, store: Store, clock: Clock): CommandContext {
  if (!request.actor) throw new AppError("unauthenticated", "Sign in first.");
  return { db: store.db, clock, actor: request.actor };
}
