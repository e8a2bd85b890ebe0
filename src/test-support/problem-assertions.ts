import { expect } from "vitest";
import type { ApiResponse } from "./harness.js";

const PROBLEM_JSON = /^application\/problem\+json/;

/** The response is an RFC 9457 problem with this status and catalogue code. */
export function expectProblem(res: ApiResponse, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
  expect(res.body.code).toBe(code);
}

/** A 400 validation_failed naming exactly the given failing fields (in any order). */
export function expectInvalid(res: ApiResponse, paths: string[]): void {
  expectProblem(res, 400, "validation_failed");
  const reported = (res.body.errors as { path: string; message: string }[]).map((e) => e.path);
  expect(new Set(reported)).toEqual(new Set(paths));
  for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
}
