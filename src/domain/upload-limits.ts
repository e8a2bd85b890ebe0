// What a person may attach to a message. Plain constants with no imports, so the web app checks the same
// limits before reading files (web/src/features/portal/upload-limits.ts) as the server does after.

/** The file types a person may attach to a message: documents and images a browser only displays. */
export const UPLOAD_TYPES = [
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
] as const;
/** At most this many files on one message, each at most UPLOAD_MAX_FILE_BYTES, together at most UPLOAD_MAX_TOTAL_BYTES. */
export const UPLOAD_MAX_FILES = 5;
export const UPLOAD_MAX_FILE_BYTES = 4 * 1024 * 1024;
export const UPLOAD_MAX_TOTAL_BYTES = 8 * 1024 * 1024;
