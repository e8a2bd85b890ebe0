import { en, type Catalogue, type MessageKey } from "./en/index";

export type { MessageKey } from "./en/index";

const catalogues: Record<string, Catalogue> = { en };

/** The person's language where a catalogue exists for it, else English. */
function pickCatalogue(): Catalogue {
  const wanted = typeof navigator === "undefined" ? [] : navigator.languages ?? [navigator.language];
  for (const lang of wanted) {
    const c = catalogues[lang] ?? catalogues[lang.split("-")[0]!];
    if (c) return c;
  }
  return en;
}

const catalogue = pickCatalogue();

/** The text for a key, with `{placeholders}` filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = catalogue[key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** The language of the catalogue in use, for number and date formatting. */
export const locale = catalogue === en ? "en" : (Object.entries(catalogues).find(([, c]) => c === catalogue)?.[0] ?? "en");
