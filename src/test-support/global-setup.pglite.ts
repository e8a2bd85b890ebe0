import { rm } from "node:fs/promises";
import type { TestProject } from "vitest/node";
import { buildPgliteTemplate } from "./stores.js";

/** Builds one migrated PGlite template for the whole run. */
export default async function setup(project: TestProject) {
  const path = await buildPgliteTemplate();
  project.provide("store", { kind: "pglite", template: path });
  return () => rm(path, { force: true });
}
