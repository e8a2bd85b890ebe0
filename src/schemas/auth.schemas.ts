import { z } from "zod";
import { AGENT_ROLES } from "../domain/vocabulary.js";
import { IsoDateTime, PageQuery, Uuid } from "./common.js";

export const LoginBody = z.object({ email: z.string().trim().toLowerCase().max(320), password: z.string().min(1).max(200) });
export const UserDto = z
  .object({
    kind: z.enum(["agent", "customer"]),
    id: Uuid,
    email: z.string(),
    name: z.string(),
    role: z.enum(AGENT_ROLES).nullable(),
  })
  .meta({ id: "User" });

export const CreateApiTokenBody = z.object({ name: z.string().trim().min(1).max(100) });
export const ApiTokenDto = z
  .object({ id: Uuid, name: z.string(), token: z.string(), createdAt: IsoDateTime })
  .meta({ id: "ApiToken" });

/** A token as listed: never the token itself. */
export const ApiTokenInfoDto = z
  .object({
    id: Uuid,
    name: z.string(),
    agentId: Uuid,
    createdAt: IsoDateTime,
    lastUsedAt: IsoDateTime.nullable().describe("last use, to the minute"),
    revokedAt: IsoDateTime.nullable(),
  })
  .meta({ id: "ApiTokenInfo" });
export const ApiTokenListQuery = PageQuery.extend({ agentId: Uuid.optional().describe("whose tokens (admins only); default: yours") });
