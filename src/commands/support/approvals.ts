import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import {
  agents,
  approvals,
  deadlines,
  resolutions,
  roleLimits,
  tickets,
  type Approval,
  type Resolution,
  type Ticket,
} from "../../db/schema.js";
import type { Db, Tx } from "../../db/store.js";
import { chooseApprover, parseAgentLimits, type ApproverCandidate, type RoleLimit } from "../../domain/authority.js";
import { AppError, notFound } from "../../domain/errors.js";
import type { AgentPrincipal } from "../../domain/principal.js";
import type { SlaSession } from "../../sla/clocks.js";

/** The role defaults, as stored. */
export async function loadRoleLimits(tx: Tx): Promise<RoleLimit[]> {
  return tx.select().from(roleLimits);
}

/** People as approver candidates: role, the rank of their highest team's level, their own limits. */
async function candidates(tx: Tx, where: SQL): Promise<ApproverCandidate[]> {
  const rows = await tx
    .select({
      id: agents.id,
      name: agents.name,
      role: agents.role,
      authorityLimits: agents.authorityLimits,
      // Spelled out: drizzle leaves columns unqualified in a one-table select, and `id` would be ambiguous.
      levelRank: sql<number | null>`(select max(l.rank) from agent_teams at
        join teams t on t.id = at.team_id join levels l on l.id = t.level_id
        where at.agent_id = "agents"."id")`,
    })
    .from(agents)
    .where(where);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    levelRank: r.levelRank === null ? null : Number(r.levelRank),
    limits: parseAgentLimits(r.authorityLimits),
  }));
}

/** One agent as a candidate (active or not): the current approver an undecided request climbs from. */
export async function loadCandidate(tx: Tx, agentId: string): Promise<ApproverCandidate | null> {
  return (await candidates(tx, eq(agents.id, agentId)))[0] ?? null;
}

/**
 * Who should decide on a resolution: the lowest-ranked active person whose limit covers it, other than
 * the requester; with `seniorTo`, only someone senior to that approver. Null when nobody qualifies.
 */
export async function findApprover(
  tx: Tx,
  resolution: Pick<Resolution, "type" | "amount" | "currency" | "requestedById">,
  seniorTo?: ApproverCandidate,
): Promise<ApproverCandidate | null> {
  // One after the other: a transaction is one connection.
  const people = await candidates(tx, eq(agents.active, true));
  const limits = await loadRoleLimits(tx);
  return chooseApprover(
    people,
    limits,
    { type: resolution.type, amount: resolution.amount, currency: resolution.currency, requesterId: resolution.requestedById },
    seniorTo,
  );
}

/** What an approval deadline carries, so firing it needs no configuration: the round and the decision time. */
export type ApprovalDeadlinePayload = { type: "approval"; round: number; approverId: string; timeoutMs: number };

/** The deadline row's step key: `approval` for the first approver, `approval:<round>` for each one after. */
export const approvalStepKey = (round: number) => (round <= 1 ? "approval" : `approval:${round}`);

/**
 * Writes the deadline at which an undecided approval goes to the next approver up. Engines are woken only
 * for one due within the notify horizon, as for SLA deadlines.
 */
export async function scheduleApprovalDeadline(s: SlaSession, approval: Approval, round: number, timeoutMs: number): Promise<void> {
  const payload: ApprovalDeadlinePayload = { type: "approval", round, approverId: approval.approverId, timeoutMs };
  await s.tx
    .insert(deadlines)
    .values({ dueAt: approval.dueAt!, ticketId: approval.ticketId, approvalId: approval.id, stepKey: approvalStepKey(round), payload, createdAt: s.now })
    .onConflictDoNothing();
  await s.notifyEnginesOf([approval.dueAt!]);
}

/** Removes an approval's deadlines that have not fired: it was decided. */
export async function unscheduleApproval(tx: Tx, approvalId: string): Promise<void> {
  await tx.delete(deadlines).where(and(eq(deadlines.approvalId, approvalId), isNull(deadlines.firedAt)));
}

/** An approval with its resolution. */
export type ApprovalWithResolution = Approval & { resolution: Resolution };

/** Loads an approval with its resolution. */
export async function loadApproval(tx: Db | Tx, approvalId: string): Promise<ApprovalWithResolution | null> {
  const [row] = await tx
    .select({ approval: approvals, resolution: resolutions })
    .from(approvals)
    .innerJoin(resolutions, eq(resolutions.id, approvals.resolutionId))
    .where(eq(approvals.id, approvalId));
  return row ? { ...row.approval, resolution: row.resolution } : null;
}

/**
 * Loads a pending approval for its assigned approver to decide, with its ticket locked: not found (404),
 * not the assigned approver (403), already decided (409). The approval is read again under the ticket lock,
 * so a decision racing another decision, or the deadline engine handing the request to the next approver,
 * sees the committed state.
 */
export async function lockApprovalForDecision(tx: Tx, approver: AgentPrincipal, approvalId: string): Promise<{ approval: ApprovalWithResolution; ticket: Ticket }> {
  const found = await loadApproval(tx, approvalId);
  if (!found) throw notFound("approval_not_found", "Approval", approvalId);
  const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, found.ticketId)).for("update");
  const approval = (await loadApproval(tx, approvalId))!;
  if (approval.approverId !== approver.id) {
    throw new AppError("forbidden", "Only the person this approval is assigned to can decide it.");
  }
  if (approval.status !== "pending") {
    throw new AppError("approval_decided", `This approval was already ${approval.status} at ${approval.decidedAt!.toISOString()}.`);
  }
  return { approval, ticket: ticket! };
}
