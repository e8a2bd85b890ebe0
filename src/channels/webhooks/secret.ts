import { newToken } from "../../auth/tokens.js";

/** A new signing secret: 32 random bytes, with a prefix that says what it is when found in a config file. */
export function generateWebhookSecret(): string {
  return newToken("whsec");
}
