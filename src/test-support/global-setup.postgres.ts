import type { TestProject } from "vitest/node";
import { buildPostgresTemplate, dropPostgresDatabase, TEST_POSTGRES_ADMIN_URL } from "./stores.js";

/**
 * Builds one migrated PostgreSQL template database for the run. An unreachable server fails the run loudly:
 * a suite that quietly skips the database proves nothing. (Set TIERLINE_TEST_POSTGRES=skip to leave this
 * project out on a machine without PostgreSQL.)
 */
export default async function setup(project: TestProject) {
  let template: string;
  try {
    template = await buildPostgresTemplate();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_POSTGRES_ADMIN_URL} (${(err as Error).message}). Start it, point TIERLINE_TEST_POSTGRES_URL at one, or set TIERLINE_TEST_POSTGRES=skip to run the PGlite suite only.`,
    );
  }
  project.provide("store", { kind: "postgres", template });
  return () => dropPostgresDatabase(template);
}
