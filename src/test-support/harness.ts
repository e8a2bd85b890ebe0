import { afterAll } from "vitest";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../config.js";
import { FakeClock } from "../domain/clock.js";
import { buildApp } from "../http/app.js";
import { buildOrganisation } from "./factories.js";
import { openTestStore } from "./test-store.js";

export type ApiResponse = { status: number; headers: Record<string, unknown>; body: any; text: string }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The application on a fresh test store with a fake clock and a small organisation, plus a helper that
 * sends requests through Fastify's in-process injection (the full HTTP pipeline without a socket).
 */
export async function startHarness(env: Record<string, string> = {}) {
  const store = await openTestStore();
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const config = loadConfig({ TIERLINE_SESSION_SECRET: "s".repeat(40), ...env });
  const app = await buildApp({ store, clock, config });
  afterAll(() => app.close());
  const org = await buildOrganisation(store, clock);

  async function api(
    method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
    url: string,
    opts: { token?: string | undefined; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const res = await app.inject({
      method,
      url,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.cookie ? { cookie: opts.cookie } : {}),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
    });
    let body: unknown = undefined;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body, text: res.body };
  }

  return { app: app as FastifyInstance, store, clock, org, api, config };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
