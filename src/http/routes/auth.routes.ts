import type {} from "@fastify/rate-limit";
import { eq } from "drizzle-orm";
import { createApiToken } from "../../commands/create-api-token.js";
import { revokeApiToken } from "../../commands/revoke-api-token.js";
import { listApiTokens, type ApiTokenInfo } from "../../queries/api-token.queries.js";
import { IdParams, pageOf } from "../../schemas/common.js";
import { presentPage } from "../presenters.js";
import { logIn, logOut } from "../../commands/log-in.js";
import { agents, customers } from "../../db/schema.js";
import { AppError } from "../../domain/errors.js";
import { ApiTokenDto, ApiTokenInfoDto, ApiTokenListQuery, CreateApiTokenBody, LoginBody, UserDto } from "../../schemas/auth.schemas.js";
import { contextOf, SESSION_COOKIE, sessionToken } from "../auth.plugin.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";
import { z } from "zod";

const presentApiToken = (t: ApiTokenInfo) => ({
  ...t,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/** Sign-in with a session cookie, sign-out, who-am-I, and API tokens for integrations. */
export function authRoutes(app: ZodApp, { store, clock, config }: RouteDeps): void {
  app.post("/auth/login", {
    config: {
      public: true,
      rateLimit: {
        max: config.loginRateLimit,
        timeWindow: "1 minute",
        errorResponseBuilder: (_req, ctx) =>
          new AppError("rate_limited", `Too many sign-in attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s.`),
      },
    },
    schema: { tags: ["auth"], summary: "Sign in; sets an HttpOnly session cookie", body: LoginBody, response: { 200: z.object({ user: UserDto }), ...problems(400, 401, 429) } },
    handler: async (req, reply) => {
      const { user, token, expiresAt } = await logIn({ db: store.db, clock }, req.body, config.sessionTtlHours);
      reply.setCookie(SESSION_COOKIE, token, {
        signed: true,
        httpOnly: true,
        sameSite: "lax",
        secure: config.cookieSecure,
        path: "/",
        expires: expiresAt,
      });
      return { user };
    },
  });

  app.post("/auth/logout", {
    config: { public: true },
    schema: { tags: ["auth"], summary: "Sign out; ends the session", response: { 204: z.undefined() } },
    handler: async (req, reply) => {
      const token = sessionToken(req);
      if (token) await logOut({ db: store.db, clock }, token);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send();
    },
  });

  app.get("/auth/me", {
    schema: { tags: ["auth"], summary: "The signed-in user", response: { 200: z.object({ user: UserDto }), ...problems(401) } },
    handler: async (req) => {
      const actor = contextOf(req, store, clock).actor;
      if (actor.kind === "agent") {
        const [a] = await store.db.select().from(agents).where(eq(agents.id, actor.id));
        return { user: { kind: "agent" as const, id: a!.id, email: a!.email, name: a!.name, role: a!.role } };
      }
      if (actor.kind === "customer") {
        const [c] = await store.db.select().from(customers).where(eq(customers.id, actor.id));
        return { user: { kind: "customer" as const, id: c!.id, email: c!.email, name: c!.name, role: null } };
      }
      throw new AppError("unauthenticated", "Sign in first.");
    },
  });

  app.post("/api-tokens", {
    schema: { tags: ["auth"], summary: "Create an API token acting as you; shown once", body: CreateApiTokenBody, response: { 201: ApiTokenDto, ...problems(400, 401, 403) } },
    handler: async (req, reply) => {
      const t = await createApiToken(contextOf(req, store, clock), req.body);
      return reply.code(201).send({ ...t, createdAt: t.createdAt.toISOString() });
    },
  });
  app.get("/api-tokens", {
    schema: {
      tags: ["auth"],
      summary: "List your API tokens (an admin: anyone's, with agentId), revoked ones included",
      querystring: ApiTokenListQuery,
      response: { 200: pageOf(ApiTokenInfoDto), ...problems(400, 401, 403) },
    },
    handler: async (req) => presentPage(await listApiTokens(contextOf(req, store, clock), req.query.agentId, req.query), presentApiToken),
  });
  app.delete("/api-tokens/:id", {
    schema: {
      tags: ["auth"],
      summary: "Revoke an API token (yours; an admin: anyone's); it stops working at once",
      params: IdParams,
      response: { 200: ApiTokenInfoDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentApiToken(await revokeApiToken(contextOf(req, store, clock), req.params.id)),
  });
}
