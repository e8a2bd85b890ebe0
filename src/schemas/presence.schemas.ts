import { z } from "zod";
import { IsoDateTime, Uuid } from "./common.js";

export const PRESENCE_STATES = ["viewing", "typing"] as const;

export const SetPresenceBody = z.object({
  state: z.enum(PRESENCE_STATES).describe("`viewing` while the ticket is open, `typing` while writing on it"),
});

export const PresenceDto = z
  .object({
    agentId: Uuid,
    name: z.string(),
    state: z.enum(PRESENCE_STATES),
    expiresAt: IsoDateTime.describe("when this presence lapses unless its agent sends another heartbeat"),
  })
  .meta({ id: "TicketPresence" });

export const PresenceListDto = z.object({ ticketId: Uuid, data: z.array(PresenceDto) }).meta({ id: "TicketPresenceList" });

export type SetPresenceInput = z.infer<typeof SetPresenceBody>;
export type PresenceView = z.infer<typeof PresenceDto>;
