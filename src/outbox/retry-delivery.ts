import { eq, sql } from "drizzle-orm";
import type { CommandContext } from "../commands/context.js";
import { deliveries, type Delivery } from "../db/schema.js";
import { AppError, notFound } from "../domain/errors.js";
import { authorizeDeliveryLog } from "../policies/delivery.policy.js";
import { OUTBOX_CHANNEL } from "./dispatcher.js";

/**
 * Puts a dead delivery back in line (managers and admins): pending, due now, with a fresh set of attempts.
 * Its last error stays until the next attempt replaces it. The dispatchers are woken on commit.
 */
export async function retryDelivery(ctx: CommandContext, deliveryId: number): Promise<Delivery> {
  authorizeDeliveryLog(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(deliveries).where(eq(deliveries.id, deliveryId)).for("update");
    if (!row) throw notFound("delivery_not_found", "Delivery", String(deliveryId));
    if (row.status !== "dead") {
      throw new AppError("delivery_not_dead", `Delivery ${deliveryId} is ${row.status}; only a dead delivery can be retried.`);
    }
    const [updated] = await tx
      .update(deliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: ctx.clock.now(), lockedUntil: null })
      .where(eq(deliveries.id, deliveryId))
      .returning();
    await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
    return updated!;
  });
}
