import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, httpStatusOf, titleOf, type ErrorCode, type FieldIssue } from "../domain/errors.js";

/** The RFC 9457 problem details of a catalogue code. */
export function problemOf(code: ErrorCode, detail: string, instance?: string, fields?: FieldIssue[]) {
  return {
    type: `https://tierline.dev/problems/${code.replaceAll("_", "-")}`,
    title: titleOf(code),
    status: httpStatusOf(code),
    code,
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(fields ? { errors: fields } : {}),
  };
}

/** Sends an error as RFC 9457 problem details with the catalogue code. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, detail: string, fields?: FieldIssue[], extra?: Record<string, unknown>) {
  return reply
    .code(httpStatusOf(code))
    .type("application/problem+json")
    .send({ ...extra, ...problemOf(code, detail, request.url, fields) });
}

/** The catalogue code of a 4xx error fastify raises itself (parsing the body, routing), by its status. */
function frameworkCode(statusCode: number): ErrorCode {
  switch (statusCode) {
    case 404:
      return "not_found";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    default:
      // Bad JSON, an empty JSON body, malformed percent-encoding in the path and anything else.
      return "malformed_request";
  }
}

/**
 * Errors fastify answers before any route runs (`frameworkErrors`): malformed percent-encoding in the path
 * (FST_ERR_BAD_URL) and a path parameter over the length limit (FST_ERR_MAX_PARAM_LENGTH, 414).
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const code = frameworkCode(error.statusCode ?? 400);
  return sendProblem(reply, request, code, error.message);
}

/**
 * Requests Node's HTTP parser refuses before fastify sees them (headers over 16 KB, an unknown method,
 * a malformed request line): answered on the socket as problem+json too, then the connection is closed.
 */
export function handleClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [code, detail]: [ErrorCode, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["headers_too_large", "The request headers are larger than the server accepts (16 KB)."]
      : error.code === "HPE_URI_TOO_LONG"
        ? ["uri_too_long", "The request URL is longer than the server accepts."]
        : error.code === "HPE_INVALID_METHOD"
          ? ["malformed_request", "The request method is not an HTTP method this server knows."]
          : ["malformed_request", `The request could not be read as HTTP (${error.code ?? "parse error"}).`];
  const body = JSON.stringify(problemOf(code, detail));
  const status = httpStatusOf(code);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The one error handler: catalogue errors, validation, malformed bodies and the unexpected. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) return sendProblem(reply, request, error.code, error.message, error.fields, error.extra);
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
  // Fastify's own errors: bad JSON, wrong content type, body too large, rate limits.
  return sendProblem(reply, request, frameworkCode(statusCode), error.message);
}
