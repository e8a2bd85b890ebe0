import { and, asc, eq, gt, sql } from "drizzle-orm";
import { accounts, agentTeams, agents, customers, levels, teams, type Account, type Customer, type Level, type Team } from "../db/schema.js";
import type { AgentWithTeams } from "../commands/create-agent.js";
import type { CommandContext } from "../commands/context.js";
import { authorizeCustomers, authorizeOrganisation } from "../policies/organisation.policy.js";
import { decodeCursor, keysetAfter, toPage, pageInOrder, type Page, type PageInput } from "./cursor.js";

/** Levels, lowest rank first. */
export async function listLevels(ctx: CommandContext, q: PageInput): Promise<Page<Level>> {
  authorizeOrganisation(ctx.actor, "read", "levels");
  const after = decodeCursor(q.cursor, "i");
  const rows = await ctx.db
    .select()
    .from(levels)
    .where(after ? gt(levels.rank, after[0] as number) : undefined)
    .orderBy(asc(levels.rank))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (l) => [l.rank]);
}

/** Teams by name. */
export async function listTeams(ctx: CommandContext, q: PageInput): Promise<Page<Team>> {
  authorizeOrganisation(ctx.actor, "read", "teams");
  return pageInOrder(q, "su", [teams.name, teams.id], (after, order, limit) =>
    ctx.db.select().from(teams).where(after).orderBy(...order).limit(limit), (t) => [t.name, t.id]);
}

/** Agents by name, each with the teams they belong to. */
export async function listAgents(ctx: CommandContext, q: PageInput): Promise<Page<AgentWithTeams>> {
  authorizeOrganisation(ctx.actor, "read", "agents");
  const after = decodeCursor(q.cursor, "su");
  const rows = await ctx.db
    .select({
      agent: agents,
      teamIds: sql<string[]>`coalesce((select array_agg(${agentTeams.teamId}) from ${agentTeams} where ${agentTeams.agentId} = ${agents.id}), '{}')`,
    })
    .from(agents)
    .where(after ? keysetAfter(agents.name, agents.id, after[0], after[1]) : undefined)
    .orderBy(asc(agents.name), asc(agents.id))
    .limit(q.limit + 1);
  return toPage(
    rows.map((r) => ({ ...r.agent, teamIds: r.teamIds })),
    q.limit,
    (a) => [a.name, a.id],
  );
}

/** Customers by name, optionally of one account or with one e-mail address. */
export async function listCustomers(
  ctx: CommandContext,
  q: PageInput & { accountId?: string | undefined; email?: string | undefined },
): Promise<Page<Customer>> {
  authorizeCustomers(ctx.actor);
  const after = decodeCursor(q.cursor, "su");
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(
      and(
        q.accountId ? eq(customers.accountId, q.accountId) : undefined,
        q.email ? eq(sql`lower(${customers.email})`, q.email.toLowerCase()) : undefined,
        after ? keysetAfter(customers.name, customers.id, after[0], after[1]) : undefined,
      ),
    )
    .orderBy(asc(customers.name), asc(customers.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (c) => [c.name, c.id]);
}

/** Customer accounts by name. */
export async function listAccounts(ctx: CommandContext, q: PageInput): Promise<Page<Account>> {
  authorizeCustomers(ctx.actor);
  return pageInOrder(q, "su", [accounts.name, accounts.id], (after, order, limit) =>
    ctx.db.select().from(accounts).where(after).orderBy(...order).limit(limit), (a) => [a.name, a.id]);
}
