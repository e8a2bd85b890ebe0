import { eq, sql } from "drizzle-orm";
import { agents } from "../db/schema.js";
import { SYSTEM } from "../domain/principal.js";
import { CreateAgentBody } from "../schemas/organisation.schemas.js";
import { AppError } from "../domain/errors.js";
import type { CommandContext } from "./context.js";
import { createAgent } from "./create-agent.js";
import { hashPassword } from "./support/passwords.js";

/**
 * The operator's way in (`tierline create-admin`): creates an admin, or, for an existing e-mail address,
 * makes that agent an active admin with the new password.
 */
export async function createAdmin(
  ctx: Omit<CommandContext, "actor">,
  input: { email: string; password: string; name: string },
): Promise<{ created: boolean; email: string }> {
  const parsed = CreateAgentBody.safeParse({ email: input.email, name: input.name, role: "admin", password: input.password });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new AppError("validation_failed", fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  const email = parsed.data.email;
  const [existing] = await ctx.db.select({ id: agents.id }).from(agents).where(eq(sql`lower(${agents.email})`, email));
  if (existing) {
    await ctx.db
      .update(agents)
      .set({ role: "admin", active: true, passwordHash: await hashPassword(input.password) })
      .where(eq(agents.id, existing.id));
    return { created: false, email };
  }
  await createAgent({ ...ctx, actor: SYSTEM }, parsed.data);
  return { created: true, email };
}
