import { sql } from "drizzle-orm";
import { queryRows } from "../db/raw.js";
import type { Db, Tx } from "../db/store.js";
import type { StemmedText } from "../domain/rules/match-rules.js";

// Hyphenated words come whole and in parts; the parts are the words ("legal-action" is "legal", "action").
const WORDS = sql`alias not in ('blank', 'asciihword', 'hword', 'numhword')`;

/**
 * The text's words and the keywords, stemmed by PostgreSQL's `english` text search configuration (the
 * same on PGlite and PostgreSQL), for `matchKeyword`. One statement; nothing is read when no rule has a
 * keyword.
 */
export async function stemText(db: Db | Tx, text: string, keywords: readonly string[]): Promise<StemmedText | undefined> {
  if (keywords.length === 0) return undefined;
  const [row] = await queryRows<{ words: { word: string; stem: string }[]; keywords: Record<string, string[]> | null }>(
    db,
    sql`select
          (select coalesce(json_agg(json_build_object('word', token, 'stem', coalesce(lexemes[1], '')) order by n), '[]'::json)
             from ts_debug('english', ${text}) with ordinality as d(alias, description, token, dictionaries, dictionary, lexemes, n)
             where ${WORDS}) as words,
          (select json_object_agg(k, (select coalesce(json_agg(coalesce(lexemes[1], '') order by n), '[]'::json)
             from ts_debug('english', k) with ordinality as d(alias, description, token, dictionaries, dictionary, lexemes, n)
             where ${WORDS}))
             from unnest(${`{${keywords.map((k) => `"${k.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`}::text[]) as k) as keywords`,
  );
  return { words: row?.words ?? [], keywords: new Map(Object.entries(row?.keywords ?? {})) };
}
