import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, httpStatusOf, titleOf, type ErrorCode, type FieldIssue } from "../domain/errors.js";

/** Sends an error as RFC 9457 problem details with the catalogue code. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, detail: string, fields?: FieldIssue[]) {
  const status = httpStatusOf(code);
  return reply
    .code(status)
    .type("application/problem+json")
    .send({
      type: `https://tierline.dev/problems/${code.replaceAll("_", "-")}`,
      title: titleOf(code),
      status,
      code,
      detail,
      instance: request.url,
      ...(fields ? { errors: fields } : {}),
    });
}

/** The one error handler: catalogue errors, validation, malformed bodies and the unexpected. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return sendProblem(reply, request, error.code, error.message, error.fields);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = error.validationContext ?? "request";
    // A failure of the whole body (not an object, missing) has an empty instance path: it is reported as `body`.
    const fields = error.validation.flatMap((v) => {
      const inner = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
      const path = inner ? `${where}.${inner}` : where;
      // Query schemas are strict (strict-query.ts): each unknown parameter is reported as its own field.
      const unknown = where === "querystring" && v.keyword === "unrecognized_keys" ? (v.params as { keys?: unknown }).keys : undefined;
      if (Array.isArray(unknown) && unknown.length > 0) {
        return unknown.map((key) => ({ path: `${path}.${String(key)}`, message: "is not a known parameter" }));
      }
      return [{ path, message: v.message ?? "is invalid" }];
    });
    return sendProblem(reply, request, "validation_failed", `The ${where} is not valid: ${fields.map((f) => `${f.path} ${f.message}`).join("; ")}`, fields);
  }
  const statusCode = (error as FastifyError).statusCode;
  if (isResponseSerializationError(error) || !statusCode || statusCode >= 500) {
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, request, "internal_error", "Something went wrong on our side; it has been logged.");
  }
  if (statusCode === 415 || statusCode === 400 || statusCode === 413) {
    // Fastify's own parsing errors: bad JSON, wrong content type, body too large.
    return sendProblem(reply, request, "malformed_request", error.message);
  }
  if (statusCode === 404) return sendProblem(reply, request, "not_found", error.message);
  if (statusCode === 429) return sendProblem(reply, request, "rate_limited", error.message);
  return sendProblem(reply, request, "malformed_request", error.message);
}
