import { sql } from "drizzle-orm";
import { settings } from "../db/schema.js";
import { actorIdOf } from "../domain/principal.js";
import { authorizeOrganisation } from "../policies/organisation.policy.js";
import { readSettings, SETTINGS_KEY, type StoredSettings } from "../queries/settings.queries.js";
import type { UpdateSettingsInput } from "../schemas/settings.schemas.js";
import type { CommandContext } from "./context.js";

/**
 * Changes the installation's settings (admins only), recording who changed them and when. The row is
 * locked for the read-modify-write, so concurrent changes apply one after the other.
 */
export async function updateSettings(ctx: CommandContext, input: UpdateSettingsInput): Promise<StoredSettings> {
  authorizeOrganisation(ctx.actor, "manage", "settings");
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${SETTINGS_KEY}))`);
    const current = await readSettings(tx);
    const next: StoredSettings = { ...current, ...input, updatedAt: now.toISOString(), updatedById: actorIdOf(ctx.actor) };
    const value = JSON.stringify(next);
    await tx.insert(settings).values({ key: SETTINGS_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
    return next;
  });
}
