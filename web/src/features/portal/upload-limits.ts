import type { UploadFile } from "../../api/portal";
import { t } from "../../i18n";

// The server's limits (src/schemas/portal.schemas.ts), checked before reading files so a person hears at
// once what is wrong; the server checks them again.
const TYPES: readonly UploadFile["contentType"][] = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
  "text/csv",
  "application/zip",
  "application/msword",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.ms-excel",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
];
const MAX_FILES = 5;
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** What the file picker offers. */
export const UPLOAD_ACCEPT = TYPES.join(",");

/** Why these files cannot be sent, or null when they can. */
export function checkFiles(files: readonly { name: string; size: number; type: string }[]): string | null {
  if (files.length > MAX_FILES) return t("portal.reply.tooMany");
  for (const f of files) {
    if (!TYPES.includes(f.type as UploadFile["contentType"])) return t("portal.reply.badType", { name: f.name });
    if (f.size > MAX_FILE_BYTES) return t("portal.reply.tooLarge", { name: f.name });
  }
  return null;
}
