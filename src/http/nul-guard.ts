import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";

/**
 * PostgreSQL `text` and `jsonb` cannot hold U+0000, so a NUL character anywhere in a request would fail
 * in the database as a 500. This refuses it up front, for every route, as a validation error naming the
 * field. It runs after authentication (preValidation), so anonymous callers still get 401 first.
 */
export function registerNulGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const parts = [
      ["body", request.body],
      ["querystring", request.query],
      ["params", request.params],
    ] as const;
    for (const [where, value] of parts) {
      const path = pathOfNul(value, where);
      if (path !== undefined) {
        throw new AppError("validation_failed", `The ${where} is not valid: ${path} contains a NUL character.`, [
          { path, message: "must not contain NUL (U+0000) characters" },
        ]);
      }
    }
  });
}

/** The dotted path of the first string or key holding a NUL, walked without recursion (bodies may nest deeply). */
function pathOfNul(root: unknown, rootPath: string): string | undefined {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path;
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}.${key.replaceAll("\u0000", "\\u0000")}`;
        if (key.includes("\u0000")) return childPath;
        stack.push([child, childPath]);
      }
    }
  }
  return undefined;
}
