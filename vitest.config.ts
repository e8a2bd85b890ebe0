import { defineConfig } from "vitest/config";

// The whole suite runs twice: on the embedded PGlite store and on a PostgreSQL server. PostgreSQL is
// required unless TIERLINE_TEST_POSTGRES=skip says otherwise (never in CI).
const stores = process.env.TIERLINE_TEST_POSTGRES === "skip" ? ["pglite"] : ["pglite", "postgres"];

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: stores.map((store) => ({
      extends: true,
      test: {
        name: store,
        globalSetup: [`src/test-support/global-setup.${store}.ts`],
      },
    })),
  },
});
