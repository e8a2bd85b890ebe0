import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { deliveries } from "../../../db/schema.js";
import { startDispatcher, type DispatcherLog } from "../../../outbox/dispatcher.js";
import { startHarness } from "../../../test-support/harness.js";
import { ticketApi } from "../../../test-support/ticket-api.js";
import { createEmailPlanner } from "./plan-email.js";
import { createEmailSender } from "./send-email.js";
import { startSmtpSink } from "../../../test-support/smtp-sink.js";

const quiet: DispatcherLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Mail from commands to a real SMTP server on loopback, through the outbox dispatcher. */
describe("email through the outbox dispatcher", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const sink = await startSmtpSink({
    refuseRecipient: (address) =>
      address.startsWith("gone-") ? { code: 550, message: "5.1.1 No such mailbox" } : address.startsWith("full-") ? { code: 452, message: "4.2.2 Mailbox full" } : undefined,
  });
  const email = createEmailSender({ smtpUrl: sink.url })!;
  const dispatcher = await startDispatcher({
    store: h.store,
    clock: h.clock,
    log: quiet,
    planners: [createEmailPlanner({ publicUrl: "http://127.0.0.1:3000", mailFrom: "Tierline Support <support@tierline.test>", mailDomain: "tierline.test" })],
    senders: { email },
    maxAttempts: 3,
    backoff: { baseMs: 60_000, maxMs: 600_000, jitter: 0 },
    wakeUps: false,
  });
  afterAll(async () => {
    await dispatcher.stop();
    email.close();
    await sink.close();
  });
  const mailTo = (address: string) => sink.received.filter((m) => m.envelopeTo.includes(address)).map((m) => m.parsed);
  const deliveriesTo = (address: string) => h.store.db.select().from(deliveries).where(eq(deliveries.destination, address)).orderBy(deliveries.id);

  it("delivers the customer's conversation as one thread, with emoji and escaped HTML", async () => {
    const address = `zoe-${Date.now()}@customer.test`;
    const ticket = await t.openTicket({ customer: { email: address, name: "Zoë" }, subject: "Rechnung doppelt 💳 <urgent>" });
    await t.send(t.as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Erstattet 👍 — <b>not bold</b>" });
    const result = await dispatcher.drain();
    expect(result.delivered).toBe(2);

    // The dispatcher sends several deliveries at once: the server may get them in either order.
    const byTemplate = (template: string) => mailTo(address).find((m) => String(m.headers.get("x-tierline-delivery")).includes(`:${template}:`));
    const received = byTemplate("customer.ticket_received");
    const reply = byTemplate("customer.agent_reply");
    expect(received!.subject).toBe(`[#${ticket.number}] We received your request: Rechnung doppelt 💳 <urgent>`);
    expect(received!.messageId).toMatch(new RegExp(`^<t${ticket.number}\\.[0-9a-f]{32}@tierline\\.test>$`));
    expect(received!.html).toContain("Rechnung doppelt 💳 &lt;urgent&gt;");
    expect(reply!.subject).toBe(`Re: [#${ticket.number}] Rechnung doppelt 💳 <urgent>`);
    expect(reply!.text).toContain("Erstattet 👍 — <b>not bold</b>");
    expect(reply!.html).toContain("Erstattet 👍 — &lt;b&gt;not bold&lt;/b&gt;");
    expect(reply!.inReplyTo).toBe(received!.messageId);
    expect(reply!.references).toBe(received!.messageId); // mailparser gives one reference as a string
    expect(reply!.headers.get("x-tierline-delivery")).toMatch(/^email:\d+:customer\.agent_reply:/);

    const rows = await deliveriesTo(address);
    expect(rows.map((d) => [d.topic, d.status, d.attempts])).toEqual([
      ["customer.ticket_received", "delivered", 1],
      ["customer.agent_reply", "delivered", 1],
    ]);
    expect(await dispatcher.drain()).toEqual({ dispatched: 0, delivered: 0, retried: 0, dead: 0 }); // nothing is sent twice
    expect(mailTo(address)).toHaveLength(2);
  });

  it("gives up on a mailbox that does not exist at once and retries a full one", async () => {
    const gone = `gone-${Date.now()}@customer.test`;
    const full = `full-${Date.now()}@customer.test`;
    await t.openTicket({ customer: { email: gone, name: "Gone" } });
    await t.openTicket({ customer: { email: full, name: "Full" } });
    await dispatcher.drain();
    const [dead] = await deliveriesTo(gone);
    expect(dead).toMatchObject({ status: "dead", attempts: 1 });
    expect(dead!.lastError).toMatch(/550/);
    const [waiting] = await deliveriesTo(full);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting!.lastError).toMatch(/452/);

    h.clock.advance(60_000);
    await dispatcher.drain();
    expect((await deliveriesTo(full))[0]).toMatchObject({ status: "pending", attempts: 2 });
    h.clock.advance(120_000);
    await dispatcher.drain();
    expect((await deliveriesTo(full))[0]).toMatchObject({ status: "dead", attempts: 3 });
    expect(mailTo(gone)).toEqual([]);
  });
});
