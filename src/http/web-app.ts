import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build` puts the web app: `dist/web` at the package root, from `src/http` and `dist/http` alike. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../dist/web");

/** Paths the web app never answers: the API, the docs and the probes answer for themselves (404 problem+json). */
const NOT_THE_APP = /^\/(api|healthz|readyz)(\/|$|\?)/;

/**
 * Serves the built web app at `/`: hashed files under `/assets/` cached for a year (their names change when
 * their content does), everything else revalidated; the `.br`/`.gz` twins written at build time are sent
 * to browsers that accept them. Any other GET for a page (a deep link such as `/tickets/1042`) gets
 * `index.html`, so the app's router decides. Without a built app (`npm run build:web` not run) the server
 * still runs the API and says so on `/`.
 */
export async function registerWebApp(app: FastifyInstance, dir = WEB_DIR): Promise<(req: FastifyRequest, reply: FastifyReply) => boolean> {
  const built = existsSync(join(dir, "index.html"));
  // The shell is small and changes only with a new build: kept in memory, sent for every page.
  const shell = built ? readFileSync(join(dir, "index.html")) : undefined;
  const sendShell = (reply: FastifyReply) => reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").send(shell);
  if (built) {
    await app.register(async (scope) => {
      scope.addHook("onRoute", (route) => {
        route.config = { ...route.config, public: true };
      });
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: "/",
        // One route per built file (read at start), not a catch-all: the API keeps its own 404, 405 and 414 answers.
        wildcard: false,
        index: false,
        preCompressed: true,
        cacheControl: false,
        setHeaders: (reply, path) => {
          const immutable = path.includes(`${join(dir, "assets")}`);
          void reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
        },
      });
      scope.get("/", { schema: { hide: true } }, (_req, reply) => sendShell(reply));
    });
  }
  /** Answers a page request with the app's shell, or returns false for what is not one. */
  return (req, reply) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (NOT_THE_APP.test(req.url)) return false;
    const accept = req.headers.accept ?? "";
    if (!accept.includes("text/html") && !accept.includes("*/*")) return false;
    if (/\.[a-z0-9]{1,8}$/i.test(req.url.split("?")[0]!)) return false; // a missing file, not a page
    if (!built) {
      void reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The Tierline web app is not built: run `npm run build` (the API answers under /api/v1).");
      return true;
    }
    void sendShell(reply);
    return true;
  };
}
