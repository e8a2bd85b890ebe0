import { eq } from "drizzle-orm";
import { calendars } from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { notFound } from "../../domain/errors.js";
import type { SlaStepSpec } from "../../schemas/sla.schemas.js";
import { assertTeamsExist } from "./teams-exist.js";

/** The parts of a policy that name other records. */
export type SlaReferences = {
  calendarId?: string | null | undefined;
  conditions?: { teamIds?: string[] | undefined } | undefined;
  steps?: SlaStepSpec[] | undefined;
};

/**
 * Throws 404 calendar_not_found or team_not_found unless the calendar and every team a policy names (in
 * its conditions or as an escalation step's target) exist.
 */
export async function assertSlaReferencesExist(db: Db | Tx, refs: SlaReferences): Promise<void> {
  if (refs.calendarId) {
    const [calendar] = await db.select({ id: calendars.id }).from(calendars).where(eq(calendars.id, refs.calendarId));
    if (!calendar) throw notFound("calendar_not_found", "Calendar", refs.calendarId);
  }
  const teamIds = new Set(refs.conditions?.teamIds ?? []);
  for (const step of refs.steps ?? []) {
    if (step.type === "escalate" && step.to.kind === "team") teamIds.add(step.to.teamId);
  }
  await assertTeamsExist(db, teamIds);
}
