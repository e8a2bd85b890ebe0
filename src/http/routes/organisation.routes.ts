import { z } from "zod";
import { createAccount } from "../../commands/create-account.js";
import { setAvailability } from "../../commands/set-availability.js";
import { createAgent } from "../../commands/create-agent.js";
import { createCustomer } from "../../commands/create-customer.js";
import { createLevel } from "../../commands/create-level.js";
import { createTeam } from "../../commands/create-team.js";
import { updateLevel } from "../../commands/update-level.js";
import { updateTeam } from "../../commands/update-team.js";
import { listAccounts, listAgents, listCustomers, listLevels, listTeams } from "../../queries/organisation.queries.js";
import { IdParams, pageOf, PageQuery, Uuid } from "../../schemas/common.js";
import { deactivateAgent } from "../../commands/deactivate-agent.js";
import { updateAgent } from "../../commands/update-agent.js";
import { updateSettings } from "../../commands/update-settings.js";
import { getSettings } from "../../queries/settings.queries.js";
import { SettingsDto, UpdateSettingsBody } from "../../schemas/settings.schemas.js";
import { setWorkingHours } from "../../commands/set-working-hours.js";
import {
  AccountDto,
  AgentDto,
  CreateAccountBody,
  CreateAgentBody,
  CreateCustomerBody,
  CreateLevelBody,
  CreateTeamBody,
  UpdateLevelBody,
  UpdateTeamBody,
  CustomerDto,
  CustomerListQuery,
  LevelDto,
  TeamDto,
  UpdateAgentBody,
  WorkingHoursBody,
} from "../../schemas/organisation.schemas.js";
import { contextOf } from "../auth.plugin.js";
import { presentAccount, presentAgent, presentCustomer, presentLevel, presentPage, presentTeam } from "../presenters.js";
import { problems, type RouteDeps, type ZodApp } from "../route-deps.js";

/** Levels, teams, agents, accounts and customers. */
export function organisationRoutes(app: ZodApp, { store, clock }: RouteDeps): void {
  const ctx = (req: Parameters<typeof contextOf>[0]) => contextOf(req, store, clock);

  app.post("/levels", {
    schema: { tags: ["organisation"], summary: "Create a support level", body: CreateLevelBody, response: { 201: LevelDto, ...problems(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentLevel(await createLevel(ctx(req), req.body))),
  });
  app.get("/levels", {
    schema: { tags: ["organisation"], summary: "List levels, lowest first", querystring: PageQuery, response: { 200: pageOf(LevelDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listLevels(ctx(req), req.query), presentLevel),
  });

  app.patch("/levels/:id", {
    schema: {
      tags: ["organisation"],
      summary: "Rename a level or change its rank (ranks stay unique)",
      params: IdParams,
      body: UpdateLevelBody,
      response: { 200: LevelDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentLevel(await updateLevel(ctx(req), req.params.id, req.body)),
  });

  app.post("/teams", {
    schema: { tags: ["organisation"], summary: "Create a team on a level", body: CreateTeamBody, response: { 201: TeamDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentTeam(await createTeam(ctx(req), req.body))),
  });
  app.get("/teams", {
    schema: { tags: ["organisation"], summary: "List teams", querystring: PageQuery, response: { 200: pageOf(TeamDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listTeams(ctx(req), req.query), presentTeam),
  });
  app.patch("/teams/:teamId", {
    schema: {
      tags: ["organisation"],
      summary: "Rename a team or set the ticket categories it owns",
      params: z.object({ teamId: Uuid }),
      body: UpdateTeamBody,
      response: { 200: TeamDto, ...problems(400, 401, 403, 404, 409) },
    },
    handler: async (req) => presentTeam(await updateTeam(ctx(req), req.params.teamId, req.body)),
  });

  app.post("/agents", {
    schema: { tags: ["organisation"], summary: "Create an agent", body: CreateAgentBody, response: { 201: AgentDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentAgent(await createAgent(ctx(req), req.body))),
  });
  app.get("/agents", {
    schema: { tags: ["organisation"], summary: "List agents", querystring: PageQuery, response: { 200: pageOf(AgentDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listAgents(ctx(req), req.query), presentAgent),
  });

  app.patch("/agents/:id", {
    schema: {
      tags: ["organisation"],
      summary: "Change an agent: name, role, teams, skills, languages, capacity, active",
      description: "Team memberships are replaced as a whole. `active: false` deactivates as DELETE does.",
      params: IdParams,
      body: UpdateAgentBody,
      response: { 200: AgentDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentAgent(await updateAgent(ctx(req), req.params.id, req.body)),
  });
  app.delete("/agents/:id", {
    schema: {
      tags: ["organisation"],
      summary: "Deactivate an agent, keeping their history",
      description: "The agent can no longer sign in, their sessions and API tokens stop working, routing gives them no work, and their unfinished tickets return to their team unassigned.",
      params: IdParams,
      response: { 200: AgentDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentAgent(await deactivateAgent(ctx(req), req.params.id)),
  });

  app.put("/agents/:agentId/working-hours", {
    schema: {
      tags: ["organisation"],
      summary: "Set an agent's working hours (a calendar; null: any time). Routing assigns only while it is open",
      params: z.object({ agentId: Uuid }),
      body: WorkingHoursBody,
      response: { 200: AgentDto, ...problems(400, 401, 403, 404) },
    },
    handler: async (req) => presentAgent(await setWorkingHours(ctx(req), req.params.agentId, req.body.calendarId)),
  });

  app.put("/agents/me/availability", {
    schema: {
      tags: ["organisation"],
      summary: "Set my availability (routing assigns only to online agents)",
      body: z.object({ availability: z.enum(["online", "away", "offline"]) }),
      response: { 200: z.object({ availability: z.string() }), ...problems(400, 401, 403) },
    },
    handler: async (req) => setAvailability(ctx(req), req.body.availability),
  });

  app.get("/settings", {
    schema: { tags: ["settings"], summary: "The installation's settings", response: { 200: SettingsDto, ...problems(401, 403) } },
    handler: async (req) => getSettings(ctx(req)),
  });
  app.put("/settings", {
    schema: {
      tags: ["settings"],
      summary: "Change the installation's settings (admins)",
      description: "`customerMayChoosePriority`: whether a customer's own ticket keeps the priority they give (default false: it gets normal).",
      body: UpdateSettingsBody,
      response: { 200: SettingsDto, ...problems(400, 401, 403) },
    },
    handler: async (req) => updateSettings(ctx(req), req.body),
  });

  app.post("/accounts", {
    schema: { tags: ["customers"], summary: "Create a customer account", body: CreateAccountBody, response: { 201: AccountDto, ...problems(400, 401, 403, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentAccount(await createAccount(ctx(req), req.body))),
  });
  app.get("/accounts", {
    schema: { tags: ["customers"], summary: "List customer accounts", querystring: PageQuery, response: { 200: pageOf(AccountDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listAccounts(ctx(req), req.query), presentAccount),
  });

  app.post("/customers", {
    schema: { tags: ["customers"], summary: "Create a customer", body: CreateCustomerBody, response: { 201: CustomerDto, ...problems(400, 401, 403, 404, 409) } },
    handler: async (req, reply) => reply.code(201).send(presentCustomer(await createCustomer(ctx(req), req.body))),
  });
  app.get("/customers", {
    schema: { tags: ["customers"], summary: "List customers", querystring: CustomerListQuery, response: { 200: pageOf(CustomerDto), ...problems(400, 401, 403) } },
    handler: async (req) => presentPage(await listCustomers(ctx(req), req.query), presentCustomer),
  });
}

