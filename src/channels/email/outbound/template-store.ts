import { inArray } from "drizzle-orm";
import { emailTemplates } from "../../../db/schema.js";
import type { Db, Tx } from "../../../db/store.js";
import type { TemplateParts } from "./render.js";
import { EMAIL_TEMPLATES, type EmailTemplateKey } from "./templates.js";

/** A template as it is used: the admin's override if there is one, else the built-in text. */
export type EffectiveTemplate = TemplateParts & {
  key: EmailTemplateKey;
  isCustomised: boolean;
  updatedAt: Date | null;
  updatedById: string | null;
};

/** The effective templates of some keys (all when none are given), in catalogue order. */
export async function effectiveTemplates(db: Db | Tx, keys: readonly EmailTemplateKey[] = [...EMAIL_TEMPLATES.keys()]): Promise<EffectiveTemplate[]> {
  if (keys.length === 0) return [];
  const rows = await db.select().from(emailTemplates).where(inArray(emailTemplates.key, [...keys]));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.map((key) => {
    const row = byKey.get(key);
    if (row) return { key, subject: row.subject, text: row.text, html: row.html, isCustomised: true, updatedAt: row.updatedAt, updatedById: row.updatedById };
    return { key, ...EMAIL_TEMPLATES.get(key)!.builtIn, isCustomised: false, updatedAt: null, updatedById: null };
  });
}
