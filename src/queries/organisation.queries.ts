import { and, eq, sql } from "drizzle-orm";
import { accounts, agentTeams, agents, customers, levels, teams, type Account, type Customer, type Level, type Team } from "../db/schema.js";
import type { AgentWithTeams } from "../commands/create-agent.js";
import type { CommandContext } from "../commands/context.js";
import { authorizeCustomers, authorizeOrganisation } from "../policies/organisation.policy.js";
import { pageInOrder, type Page, type PageInput } from "./cursor.js";

/** Levels, lowest rank first. */
export async function listLevels(ctx: CommandContext, q: PageInput): Promise<Page<Level>> {
  authorizeOrganisation(ctx.actor, "read", "levels");
  return pageInOrder(q, "i", [levels.rank], (after, order, limit) =>
    ctx.db.select().from(levels).where(after).orderBy(...order).limit(limit), (l) => [l.rank]);
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
  return pageInOrder(
    q,
    "su",
    [agents.name, agents.id],
    async (after, order, limit) => {
      const rows = await ctx.db
        .select({
          agent: agents,
          teamIds: sql<string[]>`coalesce((select array_agg(${agentTeams.teamId}) from ${agentTeams} where ${agentTeams.agentId} = ${agents.id}), '{}')`,
        })
        .from(agents)
        .where(after)
        .orderBy(...order)
        .limit(limit);
      return rows.map((r) => ({ ...r.agent, teamIds: r.teamIds }));
    },
    (a) => [a.name, a.id],
  );
}

/** Customers by name, optionally of one account or with one e-mail address. */
export async function listCustomers(
  ctx: CommandContext,
  q: PageInput & { accountId?: string | undefined; email?: string | undefined },
): Promise<Page<Customer>> {
  authorizeCustomers(ctx.actor);
  return pageInOrder(
    q,
    "su",
    [customers.name, customers.id],
    (after, order, limit) =>
      ctx.db
        .select()
        .from(customers)
        .where(
          and(
            q.accountId ? eq(customers.accountId, q.accountId) : undefined,
            q.email ? eq(sql`lower(${customers.email})`, q.email.toLowerCase()) : undefined,
            after,
          ),
        )
        .orderBy(...order)
        .limit(limit),
    (c) => [c.name, c.id],
  );
}

/** Customer accounts by name. */
export async function listAccounts(ctx: CommandContext, q: PageInput): Promise<Page<Account>> {
  authorizeCustomers(ctx.actor);
  return pageInOrder(q, "su", [accounts.name, accounts.id], (after, order, limit) =>
    ctx.db.select().from(accounts).where(after).orderBy(...order).limit(limit), (a) => [a.name, a.id]);
}
