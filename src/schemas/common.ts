import { z } from "zod";

export const Uuid = z.uuid();
export const IsoDateTime = z.iso.datetime({ offset: true });
export const Email = z.email().max(320).transform((s) => s.toLowerCase());
/** A single-line name: trimmed, not empty. */
export const Name = z.string().trim().min(1).max(200);

export const IdParams = z.object({ id: Uuid });

/** Cursor pagination: `limit` rows from the position the opaque `cursor` names. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() })).optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details with a stable `code`." });
