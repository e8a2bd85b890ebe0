import { asc, eq, sql } from "drizzle-orm";
import { customers, levels, teams, tickets, type Ticket } from "../db/schema.js";
import { queryRows } from "../db/raw.js";
import type { Tx } from "../db/store.js";
import { AppError, notFound } from "../domain/errors.js";
import type { Principal } from "../domain/principal.js";
import type { CreateTicketInput } from "../schemas/ticket.schemas.js";
import type { CommandContext } from "./context.js";
import { appendEvents, enqueue } from "./support/timeline.js";
import { ticketSnapshot } from "./support/ticket-snapshot.js";

/**
 * Opens a ticket. It lands on the frontline team of the lowest level (routing rules come in a later
 * phase). The customer is given by id, or by e-mail, in which case an unknown address becomes a new
 * customer. A signed-in customer always opens tickets for themselves.
 */
export async function createTicket(ctx: CommandContext, input: CreateTicketInput): Promise<Ticket> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const customerId = await resolveCustomer(tx, ctx.actor, input, now);
    const [landing] = await tx
      .select({ teamId: teams.id, levelId: teams.levelId })
      .from(teams)
      .innerJoin(levels, eq(levels.id, teams.levelId))
      .where(eq(teams.kind, "frontline"))
      .orderBy(asc(levels.rank), asc(teams.name))
      .limit(1);
    if (!landing) {
      throw new AppError("no_frontline_team", "No frontline team exists yet: an admin must create one before tickets can be opened.");
    }
    const [ticket] = await tx
      .insert(tickets)
      .values({
        subject: input.subject,
        description: input.description,
        channel: input.channel,
        priority: input.priority,
        category: input.category ?? null,
        tags: [...new Set(input.tags)],
        customerId,
        levelId: landing.levelId,
        teamId: landing.teamId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const t = ticket!;
    await appendEvents(tx, ctx.actor, now, [
      { ticketId: t.id, type: "ticket.created", visibility: "public", data: { channel: t.channel, after: ticketSnapshot(t) } },
    ]);
    await enqueue(tx, now, "ticket.created", { ticketId: t.id, number: t.number });
    return t;
  });
}

async function resolveCustomer(tx: Tx, actor: Principal, input: CreateTicketInput, now: Date): Promise<string> {
  if (actor.kind === "customer") return actor.id;
  if (input.customerId) {
    const [found] = await tx.select({ id: customers.id }).from(customers).where(eq(customers.id, input.customerId));
    if (!found) throw notFound("customer_not_found", "Customer", input.customerId);
    return found.id;
  }
  if (!input.customer) {
    throw new AppError("validation_failed", "A ticket needs a customer.", [
      { path: "customer", message: "give customer {email, name?} or customerId" },
    ]);
  }
  const { email, name } = input.customer;
  // Insert-or-get in one statement, so two tickets from one new address at once make one customer.
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into ${customers} (email, name, created_at) values (${email}, ${name ?? email.split("@")[0]!}, ${now.toISOString()})
        on conflict ((lower(email))) do update set email = ${customers}.email returning id`,
  );
  return row!.id;
}

