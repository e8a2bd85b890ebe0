import { queryOptions, type QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type * as policy from "../../../src/schemas/policy.schemas";
import type * as rule from "../../../src/schemas/rule.schemas";
import type * as sla from "../../../src/schemas/sla.schemas";
import { apiFetch, fetchAllPages } from "./client";

export type PolicyPaths = z.infer<typeof rule.PathsDto>;
export type PathNode = PolicyPaths["nodes"][number];
export type PathEdge = PolicyPaths["edges"][number];
export type PolicyCheckResult = z.infer<typeof policy.CheckResultDto>;
export type PolicyApplyResult = z.infer<typeof policy.ApplyResultDto>;
export type PolicyChange = PolicyApplyResult["changes"][number];
export type SlaPolicy = z.infer<typeof sla.SlaPolicyDto>;

/** The policy document as the server has it: its YAML text and the ETag that an apply sends back as If-Match. */
export type PolicyText = { text: string; etag: string | null };

const YAML = "application/yaml";

/** The escalation paths as a graph (levels, teams, rules, SLA steps, timeouts), for the flowchart. */
export const policyPathsQuery = () =>
  queryOptions({
    queryKey: ["policy", "paths"] as const,
    queryFn: () => apiFetch<PolicyPaths>("GET", "/policy/paths"),
  });

/** The whole escalation policy as YAML, with its ETag. Not refetched behind the editor's back. */
export const policyTextQuery = () =>
  queryOptions({
    queryKey: ["policy", "text"] as const,
    queryFn: async (): Promise<PolicyText> => {
      let etag: string | null = null;
      const text = await apiFetch<string>("GET", "/policy?format=yaml", { onHeaders: (h) => (etag = h.get("etag")) });
      return { text, etag };
    },
    staleTime: Infinity,
  });

/** Checks a YAML policy file; every error with its line, nothing changes. */
export function checkPolicy(text: string): Promise<PolicyCheckResult> {
  return apiFetch<PolicyCheckResult>("POST", "/policy/check", { raw: text, contentType: YAML });
}

/**
 * Applies a YAML policy file, or with `dryRun` only lists the changes it would make. `etag` (from the text
 * the edit started from) makes the server refuse with 412 `policy_changed` when someone applied meanwhile.
 */
export function applyPolicyText(text: string, opts: { dryRun: boolean; etag: string | null }): Promise<PolicyApplyResult> {
  return apiFetch<PolicyApplyResult>("PUT", `/policy?dryRun=${opts.dryRun}`, {
    raw: text,
    contentType: YAML,
    ...(opts.etag ? { headers: { "if-match": opts.etag } } : {}),
  });
}

/** After an apply: everything the policy feeds is stale (the paths, the admin lists, the rules and SLA pages). */
export async function invalidateAfterApply(queryClient: QueryClient): Promise<void> {
  await Promise.all(
    ["policy", "sla-policies", "escalation-rules", "levels", "teams", "calendars", "authority-limits"].map((key) =>
      queryClient.invalidateQueries({ queryKey: [key] }),
    ),
  );
}

/** Every SLA policy (to find the ids of the ones an apply changed). */
export function listSlaPolicies(): Promise<SlaPolicy[]> {
  return fetchAllPages<SlaPolicy>("/sla-policies");
}

/** Re-applies one SLA policy to the open tickets it times, so their running clocks take its new targets. */
export function reapplySlaPolicy(policyId: string): Promise<{ tickets: number }> {
  return apiFetch<{ tickets: number }>("POST", `/sla-policies/reapply?policyId=${encodeURIComponent(policyId)}`);
}
