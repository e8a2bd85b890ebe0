import { afterAll, inject } from "vitest";
import type { Store } from "../db/store.js";
import { openPgliteFromTemplate, openPostgresFromTemplate } from "./stores.js";

declare module "vitest" {
  interface ProvidedContext {
    store: { kind: "pglite" | "postgres"; template: string };
  }
}

/**
 * A fresh, migrated store for the calling test file, on the store this vitest project runs against
 * (PGlite or PostgreSQL). It is closed and dropped after the file's tests.
 */
export async function openTestStore(): Promise<Store> {
  const { kind, template } = inject("store");
  if (kind === "pglite") {
    const store = await openPgliteFromTemplate(template);
    afterAll(() => store.close());
    return store;
  }
  const store = await openPostgresFromTemplate(template);
  afterAll(() => store.drop());
  return store;
}

/** Which store this vitest project runs against. */
export const testStoreKind = (): "pglite" | "postgres" => inject("store").kind;
