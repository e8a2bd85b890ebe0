import { UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_FILES, UPLOAD_TYPES } from "../../../../src/domain/upload-limits";
import { t } from "../../i18n";

// The server's own limits (src/domain/upload-limits.ts), checked before reading files so a person hears at
// once what is wrong; the server checks them again.
const TYPES: readonly string[] = UPLOAD_TYPES;

/** What the file picker offers. */
export const UPLOAD_ACCEPT = TYPES.join(",");

/** Why these files cannot be sent, or null when they can. */
export function checkFiles(files: readonly { name: string; size: number; type: string }[]): string | null {
  if (files.length > UPLOAD_MAX_FILES) return t("portal.reply.tooMany");
  for (const f of files) {
    if (!TYPES.includes(f.type)) return t("portal.reply.badType", { name: f.name });
    if (f.size > UPLOAD_MAX_FILE_BYTES) return t("portal.reply.tooLarge", { name: f.name });
  }
  return null;
}
