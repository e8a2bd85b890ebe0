import { createHash, randomBytes } from "node:crypto";

/** A new secret token with a readable prefix (e.g. `tl_pat_…` for API tokens). */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** The stored form of a token: only its SHA-256 is kept, so a database leak yields no usable token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
