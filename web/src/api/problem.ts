import type { z } from "zod";
import type { Problem } from "../../../src/schemas/common";

/** A problem+json body as the server sends it (RFC 9457 with a stable `code`). */
export type ProblemBody = z.infer<typeof Problem>;

/** One failing field: `path` as the server names it (e.g. `body.reason`), without the `body.` prefix in `field`. */
export type FieldError = { path: string; field: string; message: string; line?: number | undefined };

/**
 * Every failed API call, in one type: the status, the server's stable code and detail, and the failing fields.
 * Network failures (no answer at all) are an ApiProblem too, with status 0 and code `network`.
 */
export class ApiProblem extends Error {
  override name = "ApiProblem";
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: FieldError[];
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Partial<ProblemBody> & Record<string, unknown>) {
    const detail = typeof body.detail === "string" ? body.detail : typeof body.title === "string" ? body.title : `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.code = typeof body.code === "string" ? body.code : status === 0 ? "network" : `http_${status}`;
    this.detail = detail;
    this.body = body;
    this.fields = (Array.isArray(body.errors) ? body.errors : []).map((e) => ({
      path: e.path,
      field: e.path.replace(/^(body|query|params)\./, ""),
      message: e.message,
      line: e.line,
    }));
  }

  /** The form-field errors keyed the way @mantine/form names fields (`reason`, `steps.0.minutes`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) out[f.field] ??= f.message;
    return out;
  }
}
