import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createTicket } from "../commands/create-ticket.js";
import { slaClocks, type Deadline } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { FakeClock, systemClock } from "../domain/clock.js";
import { SYSTEM } from "../domain/principal.js";
import { ENGINE_RESYNC_MS, NOTIFY_HORIZON_MS, notifyHorizonOf, SlaSession, upsertDeadlines } from "../sla/clocks.js";
import { buildOrganisation, type Organisation } from "../test-support/factories.js";
import { insertPolicy } from "../test-support/sla-factories.js";
import { openTestStore } from "../test-support/test-store.js";
import { DeadlineEngine } from "./deadline-engine.js";

/**
 * Writers NOTIFY the engines only of deadlines due soon; the others must be found by an engine's re-read
 * before they are due. These tests hold the two intervals together.
 */
describe("deadlines fire on time wherever they fall in the re-read interval", () => {
  let store: Store;
  let org: Organisation;

  beforeAll(async () => {
    store = await openTestStore();
    org = await buildOrganisation(store, new FakeClock("2026-03-02T09:00:00Z"));
  });

  it("tells the engines of every deadline 0–60 s ahead that a re-read would not find a second before it is due", () => {
    const margin = 1_000;
    for (let dueInMs = 0; dueInMs <= 60_000; dueInMs += 250) {
      const notified = dueInMs < NOTIFY_HORIZON_MS;
      // Not notified: the engines' next re-read (at most ENGINE_RESYNC_MS after the write) comes in time.
      if (!notified) expect(dueInMs, `a deadline ${dueInMs} ms ahead`).toBeGreaterThanOrEqual(ENGINE_RESYNC_MS + margin);
    }
    expect(notifyHorizonOf(ENGINE_RESYNC_MS)).toBe(NOTIFY_HORIZON_MS);
  });

  /*
   * End to end, in real time, with the engine's re-read interval (and so the writers' horizon) shortened
   * through their options so that the same logic runs in seconds: deadlines due across 0–2× the interval,
   * written at two phases of it. Lateness is read from the engine's own commit times.
   */
  it("fires each deadline written 0–2 re-read intervals ahead no later than a second after it is due", async () => {
    const resyncMs = 2_500;
    const policyId = await insertPolicy(store, { conditions: { categories: ["timing"] }, targets: { resolution: { normal: "PT1000H" } } });
    const ticket = await createTicket(
      { db: store.db, clock: systemClock, actor: org.agents.alice.principal },
      { subject: "Timing", description: "Deadlines across the interval.", channel: "api", priority: "normal", category: "timing", tags: [], customer: { email: "timing@engine.test" } },
    );
    const [clock] = await store.db.select().from(slaClocks).where(and(eq(slaClocks.ticketId, ticket.id), eq(slaClocks.metric, "resolution")));

    const firedAt = new Map<number, { dueAt: Date; committedAt: Date }>();
    const engine = new DeadlineEngine({
      store,
      clock: systemClock,
      resyncMs,
      onCommitted: (rows: Deadline[], committedAt) => rows.forEach((r) => firedAt.set(r.id, { dueAt: r.dueAt, committedAt })),
    });
    await engine.start();
    let index = 0;
    let written = 0;
    let lastDue = 0;
    const writeRound = async () => {
      const now = new Date();
      const rows = Array.from({ length: 21 }, (_, i) => {
        const step = index++;
        const dueAt = new Date(now.getTime() + (i * 2 * resyncMs) / 20);
        lastDue = Math.max(lastDue, dueAt.getTime());
        const payload = { type: "warning", metric: "resolution", atPercent: 50, index: step, repeat: 0, policyId };
        return { clockId: clock!.id, escalationId: null, stepKey: `step:${step}:0`, dueAt, payload };
      });
      await store.db.transaction((tx) => upsertDeadlines(new SlaSession(tx, now, SYSTEM, { resyncMs }), ticket.id, rows));
      written += rows.length;
    };
    try {
      await writeRound();
      await new Promise((r) => setTimeout(r, resyncMs * 0.7)); // the second round at another phase of the re-read
      await writeRound();
      while (firedAt.size < written && Date.now() < lastDue + 3_000) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await engine.stop();
    }
    expect(firedAt.size).toBe(written);
    for (const { dueAt, committedAt } of firedAt.values()) {
      const lateMs = committedAt.getTime() - dueAt.getTime();
      expect(lateMs, `due ${dueAt.toISOString()}, fired ${committedAt.toISOString()}`).toBeGreaterThanOrEqual(0);
      expect(lateMs, `due ${dueAt.toISOString()}, fired ${committedAt.toISOString()}`).toBeLessThanOrEqual(1_000);
    }
  });
});
