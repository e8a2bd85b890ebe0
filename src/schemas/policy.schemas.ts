import { z } from "zod";

/** The sections of a policy document, in the order an apply writes and reports them. */
export const POLICY_SECTIONS = ["levels", "teams", "calendars", "slaPolicies", "rules", "authorityLimits"] as const;

export const PolicyQuery = z.object({ format: z.enum(["yaml", "json"]).default("yaml") });

export const ApplyQuery = z.object({
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true")
    .describe("true: check and show the changes, write nothing"),
});

export const ApplyResultDto = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean().describe("false for a dry run or when the document changes nothing"),
    etag: z.string().describe("the entity tag of the policy as the document describes it"),
    changes: z.array(
      z.object({
        section: z.enum(POLICY_SECTIONS),
        name: z.string(),
        op: z.enum(["add", "change", "remove"]),
        fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).optional(),
      }),
    ),
  })
  .meta({ id: "PolicyApplyResult" });

export const CheckResultDto = z
  .object({
    ok: z.boolean(),
    errors: z.array(z.object({ line: z.number().int(), column: z.number().int(), path: z.string(), message: z.string() })),
  })
  .meta({ id: "PolicyCheckResult" });
