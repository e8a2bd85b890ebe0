import { randomBytes } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { sql } from "drizzle-orm";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Config } from "../config.js";
import { settings } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { registerAuth } from "./auth.plugin.js";
import { registerTextGuard } from "./nul-guard.js";
import { registerStrictQueries } from "./strict-query.js";
import { handleClientError, handleError, handleFrameworkError, problemOf, sendProblem } from "./problem.js";
import { readinessChecks, ReadyDto } from "./readiness.js";
import { Problem } from "../schemas/common.js";
import { authRoutes } from "./routes/auth.routes.js";
import { boardRoutes } from "./routes/board.routes.js";
import { portalRoutes } from "./routes/portal.routes.js";
import { approvalRoutes } from "./routes/approvals.routes.js";
import { calendarRoutes } from "./routes/calendars.routes.js";
import { clockRoutes } from "./routes/clocks.routes.js";
import { escalationRequestRoutes } from "./routes/escalation-requests.routes.js";
import { organisationRoutes } from "./routes/organisation.routes.js";
import { policyRoutes } from "./routes/policy.routes.js";
import { resolutionRoutes } from "./routes/resolutions.routes.js";
import { slaPolicyRoutes } from "./routes/sla-policies.routes.js";
import { ruleRoutes } from "./routes/rules.routes.js";
import { ticketRoutes } from "./routes/tickets.routes.js";
import { ticketPageRoutes } from "./routes/ticket-page.routes.js";
import { attachmentRoutes } from "./routes/attachments.routes.js";
import { inboundMailRoutes } from "./routes/inbound-mail.routes.js";
import { mailboxRoutes } from "./routes/mailboxes.routes.js";
import { deliveryRoutes } from "./routes/deliveries.routes.js";
import { emailTemplateRoutes } from "./routes/email-templates.routes.js";
import { webhookRoutes } from "./routes/webhooks.routes.js";
import { streamRoutes } from "./routes/stream.routes.js";
import { chatRoutes, chatWidgetRoute } from "./routes/chat.routes.js";
import { EventHub } from "../channels/stream/event-hub.js";
import type { RouteDeps, ZodApp } from "./route-deps.js";
import { registerWebApp } from "./web-app.js";
import { trackRoutes } from "./method-not-allowed.js";

export type AppOptions = {
  store: Store;
  clock: Clock;
  config: Config;
  logger?: FastifyServerOptions["logger"];
  /** Whether this process's deadline engine runs; absent when the engine runs elsewhere (workers). */
  engineRunning?: (() => boolean) | undefined;
};

const VERSION = "0.1.0";

/** Builds the HTTP application: the web app at `/`, `/api/v1` (REST), `/api/openapi.json`, `/api/docs` and `/healthz`. */
export async function buildApp({ store, clock, config, logger = false, engineRunning }: AppOptions): Promise<FastifyInstance> {
  // Fastify's request log lines carry method, URL and address only: no headers, so no tokens or cookies.
  // Errors raised before a route runs (a bad URL, an overlong path parameter, what Node's HTTP parser
  // refuses) are answered as problem+json from the one catalogue, like every other error.
  const app = Fastify({ logger, bodyLimit: 2 * 1024 * 1024, frameworkErrors: handleFrameworkError, clientErrorHandler: handleClientError });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  const otherMethods = trackRoutes(app);
  const webApp = await registerWebApp(app);
  app.setNotFoundHandler((req, reply) => {
    if (webApp(req, reply)) return;
    const path = req.url.split("?")[0];
    const allowed = otherMethods(req.method, req.url);
    if (allowed.length > 0) {
      void reply.header("allow", allowed.join(", "));
      return sendProblem(reply, req, "method_not_allowed", `${path} does not take ${req.method}; it takes ${allowed.join(", ")}.`);
    }
    return sendProblem(reply, req, "not_found", `No route ${req.method} ${path}.`);
  });

  const sessionSecret = config.sessionSecret ?? (await storedSessionSecret(store));
  await app.register(fastifyCookie, { secret: sessionSecret });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tierline API",
        version: VERSION,
        description:
          "Customer escalation management. Errors are RFC 9457 problem details with a stable `code`. Lists use cursor pagination: pass `nextCursor` back as `cursor`.",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "An API token from POST /api/v1/api-tokens" },
          session: { type: "apiKey", in: "cookie", name: "tierline_session", description: "Set by POST /api/v1/auth/login" },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The browsable docs (page, assets and the spec they load) answer without a signed-in caller, like the
  // OpenAPI document itself; the hook is scoped to this wrapper, so it marks only the docs routes public.
  await app.register(async (docs) => {
    docs.addHook("onRoute", (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(fastifySwaggerUi, { routePrefix: "/api/docs", uiConfig: { docExpansion: "list" } });
  });

  registerAuth(app, store, clock);
  registerTextGuard(app);
  registerStrictQueries(app);

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get("/healthz", {
    config: { public: true },
    schema: {
      tags: ["health"],
      summary: "Liveness: the process answers and its store answers a query",
      security: [],
      response: { 200: z.object({ status: z.literal("ok"), store: z.string() }) },
    },
    handler: async () => {
      await store.db.execute(sql`select 1`);
      return { status: "ok" as const, store: store.kind };
    },
  });
  zapp.get("/readyz", {
    config: { public: true },
    schema: {
      tags: ["health"],
      summary: "Readiness: store reachable, migrations current, deadline engine running (503 problem+json naming the failed check)",
      security: [],
      response: { 200: ReadyDto, 503: Problem.extend({ checks: ReadyDto.shape.checks }) },
    },
    handler: async (req, reply) => {
      const checks = await readinessChecks(store, engineRunning);
      const failed = Object.entries(checks).filter(([, c]) => c.status === "fail");
      if (failed.length === 0) return { status: "ready" as const, checks };
      const detail = `Not ready: ${failed.map(([name, c]) => `${name} (${c.detail})`).join("; ")}.`;
      return reply
        .code(503)
        .type("application/problem+json")
        .send({ ...problemOf("not_ready", detail, req.url), checks });
    },
  });
  zapp.get("/api/openapi.json", { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  chatWidgetRoute(app);

  const deps: RouteDeps = { store, clock, config, sessionSecret };
  // Live updates: one LISTEN for all of this instance's streams; shutting down ends the open streams first,
  // since the server cannot finish closing while they are connected.
  const hub = new EventHub({ store, clock, onError: (err) => app.log.error({ err }, "live updates: loading events failed") });
  app.addHook("preClose", () => hub.stop());
  app.decorate("liveUpdates", hub);
  await app.register(
    async (api) => {
      const zodApi = api.withTypeProvider<ZodTypeProvider>() as ZodApp;
      authRoutes(zodApi, deps);
      portalRoutes(zodApi, deps);
      organisationRoutes(zodApi, deps);
      ticketRoutes(zodApi, deps);
      ticketPageRoutes(zodApi, deps);
      calendarRoutes(zodApi, deps);
      slaPolicyRoutes(zodApi, deps);
      clockRoutes(zodApi, deps);
      escalationRequestRoutes(zodApi, deps);
      resolutionRoutes(zodApi, deps);
      approvalRoutes(zodApi, deps);
      ruleRoutes(zodApi, deps);
      mailboxRoutes(zodApi, deps);
      inboundMailRoutes(zodApi, deps);
      attachmentRoutes(zodApi, deps);
      deliveryRoutes(zodApi, deps);
      emailTemplateRoutes(zodApi, deps);
      webhookRoutes(zodApi, deps);
      streamRoutes(zodApi, deps, hub);
      boardRoutes(zodApi, deps);
      // Its own scope: CORS for other sites' pages applies to the public chat endpoints only.
      await api.register(async (scope) => chatRoutes(scope.withTypeProvider<ZodTypeProvider>() as ZodApp, deps, hub));
      // Its own scope: it parses text bodies (YAML), which no other route accepts.
      await api.register(async (scope) => policyRoutes(scope.withTypeProvider<ZodTypeProvider>() as ZodApp, deps));
    },
    { prefix: "/api/v1" },
  );
  return app;
}

/** The cookie secret kept in the store, made on first start, so sessions survive restarts. */
async function storedSessionSecret(store: Store): Promise<string> {
  await store.db
    .insert(settings)
    .values({ key: "session_secret", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await store.db.select().from(settings).where(sql`${settings.key} = 'session_secret'`);
  return row!.value;
}
