import { defineConfig } from "vitest/config";

// The service's suite runs twice: on the embedded PGlite store and on a PostgreSQL server. PostgreSQL is
// required unless TIERLINE_TEST_POSTGRES=skip says otherwise (never in CI). The web app has two more
// projects: component tests in happy-dom, and the flows in Debian's Chromium against one seeded server.
const stores = process.env.TIERLINE_TEST_POSTGRES === "skip" ? ["pglite"] : ["pglite", "postgres"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      ...stores.map((store) => ({
        extends: true as const,
        test: {
          name: store,
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          globalSetup: [`src/test-support/global-setup.${store}.ts`],
        },
      })),
      {
        extends: true as const,
        test: { name: "web", include: ["web/src/**/*.test.{ts,tsx}"], environment: "happy-dom" },
      },
      {
        extends: true as const,
        test: {
          name: "browser",
          include: ["web/e2e/**/*.e2e.test.ts"],
          globalSetup: ["web/e2e/global-setup.ts"],
          testTimeout: 90_000,
          // After the service's projects, not beside them: a browser and a seeded server on two cores would
          // crowd the engine's timing tests.
          sequence: { groupOrder: 1 },
          // The files share one server and two cores: one browser at a time keeps timings honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
