import { t } from "../i18n";
import { ApiProblem } from "./problem";

/**
 * The one place that turns a failure into words for a person: the server's own detail where it names what
 * went wrong (it always does for 4xx), a general sentence where it cannot help (network, 5xx).
 */
export function describeProblem(err: unknown): { title: string; message: string } {
  const title = t("problem.title");
  if (!(err instanceof ApiProblem)) return { title, message: t("problem.server") };
  if (err.status === 0) return { title, message: t("problem.network") };
  if (err.status >= 500) return { title, message: t("problem.server") };
  if (err.status === 401) return { title, message: t("problem.unauthenticated") };
  if (err.status === 429) return { title, message: t("problem.rateLimited") };
  if (err.fields.length > 0 && err.detail === "") return { title, message: t("problem.validation") };
  return { title, message: err.detail };
}
