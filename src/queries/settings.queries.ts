import { eq } from "drizzle-orm";
import { settings } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import type { CommandContext } from "../commands/context.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";

/** The settings row's key; its value is JSON of `StoredSettings`. */
export const SETTINGS_KEY = "api_settings";

/** What is stored: the settings and who changed them last, so a change is on record. */
export type StoredSettings = { customerMayChoosePriority: boolean; updatedAt: string | null; updatedById: string | null };

export const DEFAULT_SETTINGS: StoredSettings = { customerMayChoosePriority: false, updatedAt: null, updatedById: null };

/** The stored settings, or the defaults where none were ever set. */
export async function readSettings(db: Db | Tx): Promise<StoredSettings> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, SETTINGS_KEY));
  return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.value) as Partial<StoredSettings>) } : DEFAULT_SETTINGS;
}

/** The settings as staff read them. */
export async function getSettings(ctx: CommandContext): Promise<StoredSettings> {
  authorizeOrganisation(ctx.actor, "read", "settings");
  return readSettings(ctx.db);
}
