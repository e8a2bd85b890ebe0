import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";

/** A UTF-16 surrogate that is not half of a pair (in `u` mode a pair is one code point, never `Cs`). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text the store cannot hold faithfully is refused up front, for every route, as a validation error naming
 * the field: PostgreSQL `text` and `jsonb` cannot hold U+0000 (a 500 in the database), and a lone UTF-16
 * surrogate (JSON allows `"\ud800"`) fails in `jsonb` and is silently turned into U+FFFD in `text`. It runs
 * after authentication (preValidation), so anonymous callers still get 401 first.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const parts = [
      ["body", request.body],
      ["querystring", request.query],
      ["params", request.params],
    ] as const;
    for (const [where, value] of parts) {
      const found = firstUnstorable(value, where);
      if (found !== undefined) {
        const [path, problem] = found;
        const [what, message] =
          problem === "nul"
            ? ["a NUL character", "must not contain NUL (U+0000) characters"]
            : ["a lone UTF-16 surrogate", "must not contain lone UTF-16 surrogates (U+D800–U+DFFF without its pair)"];
        throw new AppError("validation_failed", `The ${where} is not valid: ${path} contains ${what}.`, [{ path, message }]);
      }
    }
  });
}

type Unstorable = "nul" | "surrogate";

function unstorableIn(text: string): Unstorable | undefined {
  if (text.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(text)) return "surrogate";
  return undefined;
}

/** Shown in a path without carrying the bad character itself into the (JSON) response. */
function printable(key: string): string {
  return key.replaceAll("\u0000", "\\u0000").replace(/\p{Cs}/gu, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** The dotted path of the first string or key holding text the store cannot hold, walked without recursion (bodies may nest deeply). */
function firstUnstorable(root: unknown, rootPath: string): [string, Unstorable] | undefined {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      const problem = unstorableIn(value);
      if (problem) return [path, problem];
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}.${printable(key)}`;
        const problem = unstorableIn(key);
        if (problem) return [childPath, problem];
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
