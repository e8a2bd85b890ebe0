import { z } from "zod";
import { IsoDateTime, Uuid } from "./common.js";

/** The installation's settings an admin changes through the API, and who changed them last. */
export const SettingsDto = z
  .object({
    customerMayChoosePriority: z
      .boolean()
      .describe("whether a customer opening a ticket (portal, API) may set its priority; when not, their ticket gets normal"),
    updatedAt: IsoDateTime.nullable().describe("when an admin last changed the settings; null: never"),
    updatedById: Uuid.nullable().describe("the admin who last changed them"),
  })
  .meta({ id: "Settings" });

export const UpdateSettingsBody = z.object({ customerMayChoosePriority: z.boolean() }).strict();

export type UpdateSettingsInput = z.infer<typeof UpdateSettingsBody>;
