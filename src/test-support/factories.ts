import type { CommandContext } from "../commands/context.js";
import { createAgent } from "../commands/create-agent.js";
import { createApiToken } from "../commands/create-api-token.js";
import { createCustomer } from "../commands/create-customer.js";
import { createLevel } from "../commands/create-level.js";
import { createTeam } from "../commands/create-team.js";
import { createTicket } from "../commands/create-ticket.js";
import type { Store } from "../db/store.js";
import type { Clock } from "../domain/clock.js";
import { SYSTEM, type AgentPrincipal } from "../domain/principal.js";
import type { AgentRole } from "../domain/vocabulary.js";
import type { CreateTicketInput } from "../schemas/ticket.schemas.js";

export const TEST_PASSWORD = "correct horse battery";

export type TestAgent = { id: string; email: string; token: string; principal: AgentPrincipal };

/**
 * A small support organisation: L1 Frontline; L2 Billing and Technical (specialists); L3 Management;
 * an admin, frontline agents Alice and Lena (lead), Bob in Billing, Tina in Technical, Mark the manager,
 * and a customer Carol who can sign in. Every agent has an API token.
 */
export async function buildOrganisation(store: Store, clock: Clock) {
  const sys: CommandContext = { db: store.db, clock, actor: SYSTEM };
  const l1 = await createLevel(sys, { name: "L1", rank: 1 });
  const l2 = await createLevel(sys, { name: "L2", rank: 2 });
  const l3 = await createLevel(sys, { name: "L3", rank: 3 });
  const frontline = await createTeam(sys, { name: "Frontline", levelId: l1.id, kind: "frontline" });
  const billing = await createTeam(sys, { name: "Billing", levelId: l2.id, kind: "specialist" });
  const technical = await createTeam(sys, { name: "Technical", levelId: l2.id, kind: "specialist" });
  const management = await createTeam(sys, { name: "Management", levelId: l3.id, kind: "management" });

  const agent = async (name: string, role: AgentRole, teamIds: string[]): Promise<TestAgent> => {
    const email = `${name.toLowerCase()}@support.test`;
    const a = await createAgent(sys, { email, name, role, teamIds, password: TEST_PASSWORD, skills: [], authorityLimits: {} });
    const principal: AgentPrincipal = { kind: "agent", id: a.id, role, teamIds };
    const { token } = await createApiToken({ ...sys, actor: principal }, { name: "tests" });
    return { id: a.id, email, token, principal };
  };
  const agents = {
    admin: await agent("Admin", "admin", []),
    alice: await agent("Alice", "agent", [frontline.id]),
    lena: await agent("Lena", "lead", [frontline.id]),
    bob: await agent("Bob", "agent", [billing.id]),
    tina: await agent("Tina", "agent", [technical.id]),
    mark: await agent("Mark", "manager", [management.id]),
  };
  const carol = await createCustomer(sys, { email: "carol@customer.test", name: "Carol", tier: "vip", password: TEST_PASSWORD });
  return { sys, levels: { l1, l2, l3 }, teams: { frontline, billing, technical, management }, agents, customers: { carol } };
}

export type Organisation = Awaited<ReturnType<typeof buildOrganisation>>;

/** Opens a ticket as the system with sensible defaults. */
export function buildTicket(ctx: CommandContext, overrides: Partial<CreateTicketInput> = {}) {
  return createTicket(ctx, {
    subject: "Invoice charged twice",
    description: "I was charged twice for my November invoice.",
    channel: "email",
    priority: "normal",
    tags: [],
    customer: { email: "dave@customer.test", name: "Dave" },
    ...overrides,
  });
}
