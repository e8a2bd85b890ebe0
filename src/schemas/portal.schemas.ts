import { z } from "zod";
import { UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_FILES, UPLOAD_TYPES } from "../domain/upload-limits.js";
import { PRIORITIES } from "../domain/vocabulary.js";
import { Email, IsoDateTime } from "./common.js";
import { AttachmentDto } from "./mailbox.schemas.js";
import { MessageDto } from "./ticket.schemas.js";

export const MagicLinkBody = z.object({ email: Email });
export const MagicLinkAcceptedDto = z
  .object({ accepted: z.literal(true), detail: z.string() })
  .meta({ id: "MagicLinkAccepted" });
export const VerifyMagicLinkBody = z.object({ token: z.string().trim().min(1).max(200) });

/** What the portal needs to know of the installation's settings, readable by customers. */
export const PortalSettingsDto = z
  .object({
    customerMayChoosePriority: z.boolean().describe("whether the new-ticket form offers a priority"),
    priorities: z.array(z.enum(PRIORITIES)).describe("the priorities a customer may pick (never urgent); empty when they may not choose"),
    categories: z.array(z.string()).describe("the categories the routing rules know, for the new-ticket form; empty: none to choose"),
  })
  .meta({ id: "PortalSettings" });

export const CUSTOMER_UPDATE_METRICS = ["first_response", "next_response", "periodic_update"] as const;

/** When the customer should next hear from us, from the ticket's running SLA clocks. */
export const NextUpdateDto = z
  .object({
    dueAt: IsoDateTime.nullable().describe("the earliest due time of a running response or update clock; null: nothing is owed"),
    metric: z.enum(CUSTOMER_UPDATE_METRICS).nullable(),
    overdue: z.boolean(),
  })
  .meta({ id: "NextUpdate" });

export { UPLOAD_MAX_FILE_BYTES, UPLOAD_MAX_FILES, UPLOAD_MAX_TOTAL_BYTES, UPLOAD_TYPES } from "../domain/upload-limits.js";

export const UploadFile = z.object({
  filename: z
    .string()
    .trim()
    .min(1)
    .max(255)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a file name may not hold
    .refine((s) => !/[\\/\u0000-\u001f]/.test(s), "a file name without slashes or control characters"),
  contentType: z.enum(UPLOAD_TYPES, { error: `one of ${UPLOAD_TYPES.join(", ")}` }),
  /** The file's bytes, base64-encoded. */
  content: z.base64().min(1).max(Math.ceil(UPLOAD_MAX_FILE_BYTES / 3) * 4),
});

export const CreateMessageWithFilesBody = z.object({
  body: z.string().trim().min(1).max(100_000),
  /** Staff choose `public` (a reply) or `internal` (a note); a customer's message is always `customer`. */
  kind: z.enum(["public", "internal"]).optional(),
  attachments: z.array(UploadFile).min(1).max(UPLOAD_MAX_FILES),
});

export const MessageWithFilesDto = z.object({ message: MessageDto, attachments: z.array(AttachmentDto) }).meta({ id: "MessageWithFiles" });

export type CreateMessageWithFilesInput = z.infer<typeof CreateMessageWithFilesBody>;
