import { z } from "zod";
import { AGENT_ROLES, CUSTOMER_TIERS, TEAM_KINDS } from "../domain/vocabulary.js";
import { AgentLimitsBody, AgentLimitsDto } from "./authority.schemas.js";
import { Email, IsoDateTime, Name, PageQuery, Uuid } from "./common.js";

export const CreateLevelBody = z.object({
  name: Name,
  rank: z.number().int().min(0).max(1000),
});
/** Renaming a level or moving it in the order; its teams and tickets stay on it. */
export const UpdateLevelBody = CreateLevelBody.partial()
  .strict()
  .refine((b) => b.name !== undefined || b.rank !== undefined, { message: "give name or rank" });
export const LevelDto = z.object({ id: Uuid, name: z.string(), rank: z.number().int(), createdAt: IsoDateTime }).meta({ id: "Level" });

/** Ticket categories a team owns ("printer", "billing"): the default "next level" target prefers their owner. */
const TeamCategories = z
  .array(z.string().trim().min(1).max(100))
  .max(100)
  .describe("ticket categories this team owns; a hierarchical escalation to the next level prefers the team owning the ticket's category");
export const CreateTeamBody = z.object({ name: Name, levelId: Uuid, kind: z.enum(TEAM_KINDS), categories: TeamCategories.default([]) });
export const UpdateTeamBody = z
  .object({ name: Name.optional(), categories: TeamCategories.optional() })
  .refine((b) => b.name !== undefined || b.categories !== undefined, { message: "give name or categories" });
export const TeamDto = z
  .object({ id: Uuid, name: z.string(), levelId: Uuid, kind: z.enum(TEAM_KINDS), categories: z.array(z.string()), createdAt: IsoDateTime })
  .meta({ id: "Team" });

export const Password = z.string().min(10, "must be at least 10 characters").max(200);

const Skills = z.array(z.string().trim().min(1).max(60)).max(50);
/** Languages an agent answers in, as BCP 47 tags (`de`, `pt-br`); routing matches a ticket's `lang:xx` tag. */
const Languages = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, "must be a language tag such as de or pt-br"),
  )
  .min(1)
  .max(20)
  .transform((l) => [...new Set(l)]);
/** How many unfinished tickets routing gives the agent at most. */
const Capacity = z.number().int().min(0).max(1000);

export const CreateAgentBody = z.object({
  email: Email,
  name: Name,
  role: z.enum(AGENT_ROLES),
  teamIds: z.array(Uuid).max(50).default([]),
  password: Password.optional(),
  skills: Skills.default([]),
  languages: Languages.default(["en"]),
  capacity: Capacity.default(10),
  /** What the agent may grant without approval, per resolution type; types left out use the role's limit. */
  authorityLimits: AgentLimitsBody.default({}),
  /** Working hours: a calendar; routing assigns to the agent only while it is open. Null or left out: any time. */
  calendarId: Uuid.nullable().optional(),
});
/** The fields an admin changes on an agent; `active: false` deactivates as DELETE /agents/{id} does. */
export const UpdateAgentBody = z
  .object({
    name: Name.optional(),
    role: z.enum(AGENT_ROLES).optional(),
    teamIds: z.array(Uuid).max(50).optional(),
    skills: Skills.optional(),
    languages: Languages.optional(),
    capacity: Capacity.optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "nothing to change" });
export const WorkingHoursBody = z.object({ calendarId: Uuid.nullable() });
export const AgentDto = z
  .object({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    role: z.enum(AGENT_ROLES),
    teamIds: z.array(Uuid),
    skills: z.array(z.string()),
    languages: z.array(z.string()),
    capacity: z.number().int(),
    authorityLimits: AgentLimitsDto,
    calendarId: Uuid.nullable().describe("working hours: routing assigns only while this calendar is open"),
    active: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Agent" });

export const CreateAccountBody = z.object({
  name: Name,
  tier: z.enum(CUSTOMER_TIERS).default("standard"),
  /** Stored as numeric(14, 2): the largest value it holds. */
  annualValue: z.number().nonnegative().max(999_999_999_999.99).optional(),
});
export const AccountDto = z
  .object({
    id: Uuid,
    name: z.string(),
    tier: z.enum(CUSTOMER_TIERS),
    annualValue: z.number().nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Account" });

export const CreateCustomerBody = z.object({
  email: Email,
  name: Name,
  accountId: Uuid.optional(),
  tier: z.enum(CUSTOMER_TIERS).optional(),
  /** Lets the customer sign in to the portal. */
  password: Password.optional(),
});
export const CustomerDto = z
  .object({
    id: Uuid,
    email: z.string(),
    name: z.string(),
    accountId: Uuid.nullable(),
    tier: z.enum(CUSTOMER_TIERS),
    /** A web-chat visitor's contact whose address is not confirmed: not the customer who has the address. */
    unverified: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: "Customer" });

export const CustomerListQuery = PageQuery.extend({ accountId: Uuid.optional(), email: z.string().max(320).optional() });

export type CreateLevelInput = z.infer<typeof CreateLevelBody>;
export type UpdateLevelInput = z.infer<typeof UpdateLevelBody>;
export type CreateTeamInput = z.input<typeof CreateTeamBody>;
export type UpdateTeamInput = z.infer<typeof UpdateTeamBody>;
export type CreateAgentInput = z.infer<typeof CreateAgentBody>;
export type UpdateAgentInput = z.infer<typeof UpdateAgentBody>;
export type CreateAccountInput = z.infer<typeof CreateAccountBody>;
export type CreateCustomerInput = z.infer<typeof CreateCustomerBody>;
