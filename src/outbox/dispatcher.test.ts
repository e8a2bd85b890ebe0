import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createWebhookPlanner } from "../channels/webhooks/plan-webhooks.js";
import { createWebhookSender } from "../channels/webhooks/send-webhook.js";
import { verifyWebhookSignature } from "../channels/webhooks/signature.js";
import { startReceiver, type Receiver, type ReceiverAnswer, type ReceivedRequest } from "../test-support/webhook-receiver.js";
import type { CommandContext } from "../commands/context.js";
import { createWebhook } from "../commands/create-webhook.js";
import { deliveries, outbox, webhookSubscriptions, type Delivery } from "../db/schema.js";
import { openPostgresStore, type Store } from "../db/store.js";
import { FakeClock } from "../domain/clock.js";
import type { CreateWebhookInput } from "../schemas/webhook.schemas.js";
import { buildOrganisation, buildTicket } from "../test-support/factories.js";
import { openTestStore, testStoreKind } from "../test-support/test-store.js";
import { claimDueDeliveries, startDispatcher, type DispatcherLog, type DispatcherOptions } from "./dispatcher.js";
import { retryDelivery } from "./retry-delivery.js";
import type { DeliveryPlanner } from "./types.js";

const PUBLIC_URL = "https://help.example.com";
const BASE_MS = 30_000;

type LogEntry = { level: string; obj: object; msg: string };

describe("the outbox dispatcher", async () => {
  const store = await openTestStore();
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const org = await buildOrganisation(store, clock);
  const admin: CommandContext = { db: store.db, clock, actor: org.agents.admin.principal };
  const logs: LogEntry[] = [];
  const entry = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj, msg });
  const log: DispatcherLog = { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") };
  const secrets: string[] = [];
  const receivers: Receiver[] = [];
  let n = 0;

  afterEach(async () => {
    // Each test's subscriptions and leftovers end with it, so the next test sees only its own deliveries.
    await store.db.update(webhookSubscriptions).set({ active: false });
    await store.db.update(deliveries).set({ status: "dead" }).where(eq(deliveries.status, "pending"));
    await (await startDispatcher({ store, clock, log, wakeUps: false, planners: [], senders: {}, maxAttempts: 1 })).drain();
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    // Whatever the dispatcher logged, no signing secret is in it.
    const logged = JSON.stringify(logs);
    for (const s of secrets) expect(logged).not.toContain(s);
  });

  const webhookSender = (timeoutMs = 5_000) => createWebhookSender({ db: store.db, clock, timeoutMs });
  function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
    return startDispatcher({
      store,
      clock,
      log,
      wakeUps: false,
      planners: [createWebhookPlanner({ publicUrl: PUBLIC_URL })],
      senders: { webhook: webhookSender() },
      maxAttempts: 3,
      backoff: { baseMs: BASE_MS, maxMs: 3_600_000, jitter: 0.25 },
      ...overrides,
    });
  }
  async function receiver(answer?: (req: ReceivedRequest, index: number) => ReceiverAnswer) {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  }
  async function subscribe(url: string, input: Partial<CreateWebhookInput> = {}) {
    const { webhook, secret } = await createWebhook(admin, { name: `hook ${++n}`, url, events: [], format: "json", active: true, ...input });
    secrets.push(secret);
    return { ...webhook, secret };
  }
  const openTicket = (subject = "Invoice charged twice") =>
    buildTicket({ db: store.db, clock, actor: org.agents.alice.principal }, { subject, customer: { email: `d${++n}@dispatch.test`, name: "Dana" } });
  const deliveriesOf = (subscriptionId: string) =>
    store.db.select().from(deliveries).where(eq(deliveries.subscriptionId, subscriptionId)).orderBy(asc(deliveries.id));
  const deliveryById = async (id: number) => (await store.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;
  async function outboxIdOf(ticketId: string, topic = "ticket.created"): Promise<number> {
    const [row] = await store.db.select({ id: outbox.id }).from(outbox).where(and(eq(outbox.topic, topic), sql`${outbox.payload}->>'ticketId' = ${ticketId}`));
    return row!.id;
  }
  /** Moves the fake clock to when a pending delivery is due next. */
  const moveTo = (d: Delivery) => clock.set(d.nextAttemptAt);

  it("fans out one signed delivery per matching active subscription, none for a filter that does not match", async () => {
    const all = await receiver();
    const created = await receiver();
    const other = await receiver();
    const everything = await subscribe(all.url);
    const onCreated = await subscribe(created.url, { events: ["ticket.created"] });
    const onBreach = await subscribe(other.url, { events: ["sla.breached", "escalation.*"] });
    const inactive = await subscribe(other.url, { active: false });

    const ticket = await openTicket("Router offline");
    const result = await (await dispatcher()).drain();
    expect(result).toMatchObject({ delivered: 2, retried: 0, dead: 0 });
    const outboxId = await outboxIdOf(ticket.id);

    for (const [sub, r] of [
      [everything, all],
      [onCreated, created],
    ] as const) {
      const [d, ...more] = await deliveriesOf(sub.id);
      expect(more).toHaveLength(0);
      expect(d).toMatchObject({ idempotencyKey: `webhook:${outboxId}:${sub.id}`, status: "delivered", attempts: 1, ticketId: ticket.id, outboxId, destination: sub.url });
      expect(d!.deliveredAt).toEqual(clock.now());
      expect(r.requests).toHaveLength(1);
      const [req] = r.requests;
      const now = Math.floor(clock.now().getTime() / 1000);
      expect(req!.method).toBe("POST");
      expect(req!.headers).toMatchObject({
        "content-type": "application/json",
        "tierline-event": "ticket.created",
        "tierline-delivery": d!.idempotencyKey,
        "tierline-timestamp": String(now),
      });
      // The receiver can check that Tierline sent it, and that nobody changed it.
      const header = String(req!.headers["tierline-signature"]);
      expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifyWebhookSignature({ secret: sub.secret, header, body: req!.body, nowSec: now })).toBe(true);
      expect(verifyWebhookSignature({ secret: everything === sub ? onCreated.secret : everything.secret, header, body: req!.body, nowSec: now })).toBe(false);
      expect(verifyWebhookSignature({ secret: sub.secret, header, body: req!.body.replace("Router", "Rooter"), nowSec: now })).toBe(false);
      expect(verifyWebhookSignature({ secret: sub.secret, header, body: req!.body, nowSec: now + 3_600 })).toBe(false);

      expect(JSON.parse(req!.body)).toEqual({
        id: d!.idempotencyKey,
        type: "ticket.created",
        createdAt: clock.now().toISOString(),
        data: {
          ticketId: ticket.id,
          number: ticket.number,
          ticket: {
            id: ticket.id,
            number: ticket.number,
            subject: "Router offline",
            status: "new",
            priority: "normal",
            team: { id: org.teams.frontline.id, name: "Frontline" },
            url: `${PUBLIC_URL}/tickets/${ticket.number}`,
          },
        },
      });
    }
    expect(await deliveriesOf(onBreach.id)).toHaveLength(0);
    expect(await deliveriesOf(inactive.id)).toHaveLength(0);
    expect(other.requests).toHaveLength(0);

    // Done is done: another drain sends nothing again.
    expect(await (await dispatcher()).drain()).toEqual({ dispatched: 0, delivered: 0, retried: 0, dead: 0 });
    expect(all.requests).toHaveLength(1);
    const [row] = await store.db.select().from(outbox).where(eq(outbox.id, outboxId));
    expect(row!.dispatchedAt).toEqual(clock.now());
  });

  it("retries a failing receiver with exponential backoff and jitter until it answers", async () => {
    clock.set("2026-03-02T10:00:00Z");
    const r = await receiver((_req, i) => (i < 2 ? { status: 500, body: "database is down" } : 204));
    const sub = await subscribe(r.url);
    await openTicket();
    const d = await dispatcher();

    expect(await d.drain()).toMatchObject({ delivered: 0, retried: 1 });
    let [delivery] = await deliveriesOf(sub.id);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 500: database is down", lockedUntil: null });
    const firstWait = delivery!.nextAttemptAt.getTime() - clock.now().getTime();
    expect(firstWait).toBeGreaterThanOrEqual(BASE_MS);
    expect(firstWait).toBeLessThanOrEqual(BASE_MS * 1.25);

    // Not yet due: nothing is sent.
    clock.advance(BASE_MS - 1_000);
    expect(await d.drain()).toMatchObject({ delivered: 0, retried: 0 });
    expect(r.requests).toHaveLength(1);

    moveTo(delivery!);
    expect(await d.drain()).toMatchObject({ retried: 1 });
    [delivery] = await deliveriesOf(sub.id);
    const secondWait = delivery!.nextAttemptAt.getTime() - clock.now().getTime();
    expect(delivery!.attempts).toBe(2);
    expect(secondWait).toBeGreaterThanOrEqual(2 * BASE_MS);
    expect(secondWait).toBeLessThanOrEqual(2 * BASE_MS * 1.25);

    moveTo(delivery!);
    expect(await d.drain()).toMatchObject({ delivered: 1 });
    [delivery] = await deliveriesOf(sub.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 3, lastError: null });
    // Every attempt carried the same idempotency key, so the receiver can tell repeats apart.
    expect(new Set(r.requests.map((q) => q.headers["tierline-delivery"]))).toEqual(new Set([delivery!.idempotencyKey]));
    expect(logs.some((l) => l.level === "warn" && (l.obj as { deliveryId?: number }).deliveryId === delivery!.id)).toBe(true);
  });

  it("gives a delivery up after the last attempt, and a manual retry sends it again", async () => {
    clock.set("2026-03-02T11:00:00Z");
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const sub = await subscribe(r.url);
    await openTicket();
    const d = await dispatcher({ maxAttempts: 3 });
    await d.drain();
    for (let i = 0; i < 2; i++) {
      moveTo((await deliveriesOf(sub.id))[0]!);
      await d.drain();
    }
    let [delivery] = await deliveriesOf(sub.id);
    expect(delivery).toMatchObject({ status: "dead", attempts: 3, lastError: "HTTP 503: status 503", lockedUntil: null });
    expect(logs.some((l) => l.level === "error" && (l.obj as { deliveryId?: number }).deliveryId === delivery!.id)).toBe(true);
    clock.advance(24 * 3_600_000);
    expect(await d.drain()).toMatchObject({ delivered: 0, retried: 0, dead: 0 });
    expect(r.requests).toHaveLength(3);

    up = true;
    const retried = await retryDelivery(admin, delivery!.id);
    expect(retried).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: clock.now() });
    expect(await d.drain()).toMatchObject({ delivered: 1 });
    [delivery] = await deliveriesOf(sub.id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1 });
    expect(r.requests).toHaveLength(4);
    await expect(retryDelivery(admin, delivery!.id)).rejects.toMatchObject({ code: "delivery_not_dead" });
  });

  it("gives up at once on a refusal no retry can fix, and retries 408 and 429", async () => {
    clock.set("2026-03-02T12:00:00Z");
    const r = await receiver((req) => {
      if (req.path === "/gone") return { status: 410, body: "no such hook" };
      if (req.path === "/moved") return { status: 302, headers: { location: "/elsewhere" } };
      if (req.path === "/busy") return 429;
      if (req.path === "/timeout") return 408;
      return 200;
    });
    const gone = await subscribe(`${r.origin}/gone`);
    const moved = await subscribe(`${r.origin}/moved`);
    const busy = await subscribe(`${r.origin}/busy`);
    const timeout = await subscribe(`${r.origin}/timeout`);
    await openTicket();
    expect(await (await dispatcher()).drain()).toMatchObject({ dead: 2, retried: 2 });
    expect((await deliveriesOf(gone.id))[0]).toMatchObject({ status: "dead", attempts: 1, lastError: "HTTP 410: no such hook" });
    expect((await deliveriesOf(moved.id))[0]).toMatchObject({ status: "dead", attempts: 1 });
    expect((await deliveriesOf(moved.id))[0]!.lastError).toMatch(/^HTTP 302: redirects are not followed/);
    expect((await deliveriesOf(busy.id))[0]).toMatchObject({ status: "pending", attempts: 1, lastError: "HTTP 429: status 429" });
    expect((await deliveriesOf(timeout.id))[0]).toMatchObject({ status: "pending", attempts: 1 });
    // The redirect was not followed.
    expect(r.requests.map((q) => q.path).sort()).toEqual(["/busy", "/gone", "/moved", "/timeout"]);
  });

  it("retries a receiver that cannot be reached or does not answer in time, naming only its host", async () => {
    clock.set("2026-03-02T13:00:00Z");
    const closed = await startReceiver();
    const unreachableUrl = `${closed.origin}/secret-path-token`;
    await closed.close();
    const hanging = await receiver(() => "hang");
    const unreachable = await subscribe(unreachableUrl);
    const slow = await subscribe(hanging.url);
    await openTicket();
    await (await dispatcher({ senders: { webhook: webhookSender(300) } })).drain();
    const [u] = await deliveriesOf(unreachable.id);
    expect(u).toMatchObject({ status: "pending", attempts: 1 });
    expect(u!.lastError).toBe(`could not reach ${new URL(unreachableUrl).host}: ECONNREFUSED`);
    const [s] = await deliveriesOf(slow.id);
    expect(s).toMatchObject({ status: "pending", attempts: 1, lastError: `${new URL(hanging.url).host} did not answer within 0.3 s` });
    expect(hanging.requests).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain("secret-path-token");
  });

  it("loses nothing when a sender dies between its claim and recording the outcome: the delivery goes again, with the same key", async () => {
    clock.set("2026-03-02T14:00:00Z");
    const r = await receiver();
    const sub = await subscribe(r.url);
    await openTicket();
    // This instance plans but cannot send webhooks: the delivery waits, and the log says why, once.
    const before = logs.length;
    const planner = await dispatcher({ senders: {} });
    await planner.drain();
    await planner.drain();
    const idle = logs.slice(before).filter((l) => l.level === "warn" && l.msg.includes("no webhook sender is configured"));
    expect(idle).toHaveLength(1);
    const [waiting] = await deliveriesOf(sub.id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });

    // Another instance claims it (committed), sends it, and dies before recording that it did.
    const [claimed, ...others] = await claimDueDeliveries(store.db, { now: clock.now(), leaseMs: 60_000, channels: ["webhook"], limit: 10 });
    expect(others).toHaveLength(0);
    expect(claimed).toMatchObject({ id: waiting!.id, attempts: 1 });
    await webhookSender()(claimed!);
    expect(r.requests).toHaveLength(1);

    // While its lease lasts, nobody else sends it.
    const survivor = await dispatcher();
    expect(await survivor.drain()).toMatchObject({ delivered: 0 });
    expect(r.requests).toHaveLength(1);
    // Once the lease has passed, a live instance sends it again: at least once.
    clock.advance(60_000);
    expect(await survivor.drain()).toMatchObject({ delivered: 1 });
    expect(await deliveryById(waiting!.id)).toMatchObject({ status: "delivered", attempts: 2, lockedUntil: null });
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1]!.headers["tierline-delivery"]).toBe(r.requests[0]!.headers["tierline-delivery"]);
    expect(r.requests[1]!.body).toBe(r.requests[0]!.body);
  });

  it("makes no second delivery when an outbox row is fanned out again", async () => {
    clock.set("2026-03-02T15:00:00Z");
    const r = await receiver();
    const sub = await subscribe(r.url);
    const ticket = await openTicket();
    const d = await dispatcher();
    await d.drain();
    const outboxId = await outboxIdOf(ticket.id);
    // As if the mark had been lost: the row is claimed and planned once more.
    await store.db.update(outbox).set({ dispatchedAt: null }).where(eq(outbox.id, outboxId));
    expect(await d.drain()).toMatchObject({ dispatched: 1, delivered: 0 });
    expect(await deliveriesOf(sub.id)).toHaveLength(1);
    expect(r.requests).toHaveLength(1);
  });

  it("holds back only the outbox row whose planning fails, and plans it again later", async () => {
    clock.set("2026-03-02T16:00:00Z");
    const r = await receiver();
    const sub = await subscribe(r.url);
    const [first, second, third] = [await openTicket("First"), await openTicket("Second"), await openTicket("Third")];
    const poisoned = await outboxIdOf(second.id);
    let broken = true;
    const fragile: DeliveryPlanner = async (_tx, message) => {
      if (broken && message.id === poisoned) throw new Error("template missing");
      return [];
    };
    const d = await dispatcher({ planners: [fragile, createWebhookPlanner({ publicUrl: PUBLIC_URL })] });
    expect(await d.drain()).toMatchObject({ dispatched: 2, delivered: 2 });
    const tickets = (await deliveriesOf(sub.id)).map((x) => x.ticketId);
    expect(tickets).toEqual([first.id, third.id]);
    const [row] = await store.db.select().from(outbox).where(eq(outbox.id, poisoned));
    expect(row).toMatchObject({ dispatchedAt: null, attempts: 1 });
    expect(logs.some((l) => l.level === "error" && (l.obj as { outboxId?: number }).outboxId === poisoned)).toBe(true);

    broken = false;
    expect(await d.drain()).toMatchObject({ dispatched: 0 }); // it waits for its retry time
    clock.advance(3_600_000);
    expect(await d.drain()).toMatchObject({ dispatched: 1, delivered: 1 });
    expect((await deliveriesOf(sub.id)).map((x) => x.ticketId)).toEqual([first.id, third.id, second.id]);
  });

  it("wakes on a NOTIFY from a commit and sends without being asked", async () => {
    clock.set("2026-03-02T17:00:00Z");
    const r = await receiver();
    const sub = await subscribe(r.url);
    const live = await dispatcher({ wakeUps: true });
    try {
      await openTicket();
      await r.waitFor(1);
    } finally {
      await live.stop();
    }
    expect((await deliveriesOf(sub.id))[0]).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it.runIf(testStoreKind() === "postgres")("shares the work between two racing instances: one delivery per destination, each sent once", async () => {
    clock.set("2026-03-02T18:00:00Z");
    const r = await receiver();
    const subs = [await subscribe(`${r.origin}/a`), await subscribe(`${r.origin}/b`), await subscribe(`${r.origin}/c`, { events: ["ticket.*"] })];
    const tickets = [];
    for (let i = 0; i < 40; i++) tickets.push(await openTicket(`Bulk ${i}`));
    // A second instance: its own connection pool, as another process would have.
    const url = (store as unknown as { db: { $client: { options: { connectionString: string } } } }).db.$client.options.connectionString;
    const otherStore: Store = openPostgresStore(url, 5);
    try {
      const other = await startDispatcher({
        store: otherStore,
        clock,
        log,
        wakeUps: false,
        planners: [createWebhookPlanner({ publicUrl: PUBLIC_URL })],
        senders: { webhook: createWebhookSender({ db: otherStore.db, clock, timeoutMs: 5_000 }) },
        maxAttempts: 3,
        batchSize: 5,
      });
      const mine = await dispatcher({ batchSize: 5 });
      const [a, b] = await Promise.all([mine.drain(), other.drain()]);
      expect(a.dispatched + b.dispatched).toBe(40);
      expect(a.delivered + b.delivered).toBe(120);

      // Both fan the same rows out again, at once, as after a lost mark: still one delivery per destination.
      const outboxIds = await Promise.all(tickets.map((t) => outboxIdOf(t.id)));
      await store.db.update(outbox).set({ dispatchedAt: null }).where(inArray(outbox.id, outboxIds));
      const [c, e] = await Promise.all([mine.drain(), other.drain()]);
      expect(c.dispatched + e.dispatched).toBe(40);
      expect(c.delivered + e.delivered).toBe(0);
    } finally {
      await otherStore.close();
    }
    for (const s of subs) expect(await deliveriesOf(s.id)).toHaveLength(40);
    expect(r.requests).toHaveLength(120);
    expect(new Set(r.requests.map((q) => q.headers["tierline-delivery"])).size).toBe(120);
  });
});
