import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, emailThreads, outbox, tickets } from "../../../db/schema.js";
import { enqueue } from "../../../commands/support/timeline.js";
import type { PlannedDelivery } from "../../../outbox/types.js";
import { useRoleLimits } from "../../../test-support/authority.js";
import { TEST_PASSWORD } from "../../../test-support/factories.js";
import { startHarness } from "../../../test-support/harness.js";
import { HANDOVER, ticketApi, uniqueCustomer } from "../../../test-support/ticket-api.js";
import { insertOfficeCalendar, insertPolicy } from "../../../test-support/sla-factories.js";
import { createEmailPlanner, type EmailPayload } from "./plan-email.js";

const DOMAIN = "mail.tierline.test";
const FROM = "Tierline Support <support@tierline.test>";
/** HH:mm of a winter time in Berlin (UTC+1), worked out by hand, not by the code under test. */
const berlinWinter = (d: Date) => `${String(d.getUTCHours() + 1).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
const MESSAGE_ID = (n: number) => new RegExp(`^<t${n}\\.[0-9a-f]{32}@mail\\.tierline\\.test>$`);

type Mail = PlannedDelivery & { payload: EmailPayload };

describe("the email planner", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const { agents: staff, teams } = h.org;
  const planner = createEmailPlanner({ publicUrl: "https://help.tierline.test/", mailFrom: FROM, mailDomain: DOMAIN });
  const planned = new Set<number>();

  /** Runs the planner, each in its own transaction as the dispatcher does, on the ticket's outbox rows not planned yet. */
  async function plan(ticketId: string): Promise<Mail[]> {
    const rows = await h.store.db.select().from(outbox).where(sql`${outbox.payload}->>'ticketId' = ${ticketId}`).orderBy(outbox.id);
    const mails: Mail[] = [];
    for (const row of rows.filter((r) => !planned.has(r.id))) {
      planned.add(row.id);
      const message = { id: row.id, topic: row.topic, payload: row.payload, createdAt: row.createdAt };
      mails.push(...((await h.store.db.transaction((tx) => planner(tx, message))) as Mail[]));
    }
    return mails;
  }
  const summary = (mails: Mail[]) => mails.map((m) => [m.topic, m.destination]);
  /** What taking in a mail leaves behind: its Message-ID on the ticket's thread, at the time it came. */
  async function receivedMail(ticketId: string, messageId: string) {
    await h.store.db.insert(emailThreads).values({ messageId, ticketId, createdAt: h.clock.now() });
    h.clock.advance(60_000);
  }
  const threadOf = async (ticketId: string) =>
    (await h.store.db.select().from(emailThreads).where(eq(emailThreads.ticketId, ticketId))).map((r) => r.messageId);

  it("plans a batch the same whether its facts are read per message or once for the batch (prepare)", async () => {
    const first = await t.openTicket({ customer: uniqueCustomer() });
    await receivedMail(first.id, "<batch.original@customer.test>");
    await t.send(as.alice, "POST", `/tickets/${first.id}/messages`, { body: "First answer." });
    await t.send(as.alice, "POST", `/tickets/${first.id}/messages`, { body: "Second answer." });
    const second = await t.openTicket({ customer: uniqueCustomer() });
    await t.patch(second.id, { assigneeId: staff.alice.id }, as.lena);
    const rows = await h.store.db
      .select()
      .from(outbox)
      .where(sql`${outbox.payload}->>'ticketId' in (${first.id}, ${second.id})`)
      .orderBy(outbox.id);
    const messages = rows.map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, createdAt: r.createdAt }));
    /** Plans the whole batch in one transaction and rolls it back (planning records thread ids). */
    const planBatch = async (prepared: boolean) => {
      const mails: PlannedDelivery[] = [];
      await h.store.db
        .transaction(async (tx) => {
          const batchPlanner = createEmailPlanner({ publicUrl: "https://help.tierline.test/", mailFrom: FROM, mailDomain: DOMAIN });
          if (prepared) await batchPlanner.prepare!(tx, messages);
          for (const m of messages) mails.push(...(await batchPlanner(tx, m)));
          throw new Error("roll back");
        })
        .catch((err: Error) => {
          if (err.message !== "roll back") throw err;
        });
      return mails;
    };
    const one = await planBatch(false);
    expect(one.map((m) => m.topic)).toEqual(["customer.ticket_received", "customer.agent_reply", "customer.agent_reply", "customer.ticket_received", "agent.assigned"]);
    // The second reply threads under the first, planned in the same batch.
    expect((one[2] as Mail).payload.inReplyTo).toBe((one[1] as Mail).payload.messageId);
    expect(await planBatch(true)).toEqual(one);
    for (const r of rows) planned.add(r.id);
  });

  it("tells the customer their ticket was received, threaded to the mail that opened it", async () => {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer, subject: "Router <b>offline</b> 📡" });
    await receivedMail(ticket.id, "<v1.original@customer.test>");

    const [mail, ...rest] = await plan(ticket.id);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ channel: "email", topic: "customer.ticket_received", destination: customer.email, ticketId: ticket.id });
    const p = mail!.payload;
    expect(mail!.key).toBe(`email:${(await h.store.db.select().from(outbox).where(sql`${outbox.payload}->>'ticketId' = ${ticket.id}`))[0]!.id}:customer.ticket_received:${customer.email}`);
    expect(p.to).toEqual({ name: customer.name, address: customer.email });
    expect(p.from).toBe(FROM);
    expect(p.replyTo).toBe(FROM);
    expect(p.subject).toBe(`[#${ticket.number}] We received your request: Router <b>offline</b> 📡`);
    expect(p.text).toContain(`Hello ${customer.name},`);
    expect(p.text).toContain(`https://help.tierline.test/tickets/${ticket.number}`);
    expect(p.html).toContain("Router &lt;b&gt;offline&lt;/b&gt; 📡");
    expect(p.html).not.toContain("<b>offline");
    expect(p.messageId).toMatch(MESSAGE_ID(ticket.number));
    expect(p.inReplyTo).toBe("<v1.original@customer.test>");
    expect(p.references).toEqual(["<v1.original@customer.test>"]);
    expect(p.headers).toEqual({ "X-Tierline-Delivery": mail!.key, "X-Tierline-Ticket": String(ticket.number) });
    expect(await threadOf(ticket.id)).toEqual(expect.arrayContaining(["<v1.original@customer.test>", p.messageId]));
  });

  it("sends an agent's public reply with its text, In-Reply-To the latest mail and References to the whole thread", async () => {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer, subject: "Charged twice" });
    await receivedMail(ticket.id, "<v2.original@customer.test>");
    // Taken in at the ticket's creation, the customer's mail comes before our answer to it (whatever the ids' order).
    const [received] = await plan(ticket.id);

    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Internal: check the ledger first.", kind: "internal" });
    const reply = await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "We refunded you 💶 — see <invoice>.\nThanks for waiting!" });
    expect(reply.status, reply.text).toBe(201);
    const mails = await plan(ticket.id);
    expect(summary(mails)).toEqual([["customer.agent_reply", customer.email]]); // the note made no mail
    const first = mails[0]!.payload;
    expect(first.subject).toBe(`Re: [#${ticket.number}] Charged twice`);
    expect(first.text).toContain("We refunded you 💶 — see <invoice>.\nThanks for waiting!");
    expect(first.text).toContain("Alice");
    expect(first.text).not.toContain("ledger");
    expect(first.html).toContain("We refunded you 💶 — see &lt;invoice&gt;.<br>\nThanks for waiting!");
    expect(first.inReplyTo).toBe(received!.payload.messageId);
    expect(first.references).toEqual(["<v2.original@customer.test>", received!.payload.messageId]);

    // The customer answers by mail; the next reply answers that mail.
    h.clock.advance(60_000);
    await receivedMail(ticket.id, "<customer-reply-3@customer.test>");
    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Done." });
    const [second] = await plan(ticket.id);
    expect(second!.payload.inReplyTo).toBe("<customer-reply-3@customer.test>");
    expect(second!.payload.references).toEqual(["<v2.original@customer.test>", received!.payload.messageId, first.messageId, "<customer-reply-3@customer.test>"]);
    expect(new Set([received!.payload.messageId, first.messageId, second!.payload.messageId]).size).toBe(3);
  });

  it("gives the same mail when an outbox row is planned again (a crash before it was marked done)", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    const [row] = await h.store.db.select().from(outbox).where(sql`${outbox.payload}->>'ticketId' = ${ticket.id}`);
    const message = { id: row!.id, topic: row!.topic, payload: row!.payload, createdAt: row!.createdAt };
    const once = await h.store.db.transaction((tx) => planner(tx, message));
    const again = await h.store.db.transaction((tx) => planner(tx, message));
    expect(again.map((d) => [d.key, (d.payload as EmailPayload).messageId])).toEqual(once.map((d) => [d.key, (d.payload as EmailPayload).messageId]));
    expect(await threadOf(ticket.id)).toHaveLength(1);
    planned.add(row!.id);
  });

  it("tells the customer of a status change in their words", async () => {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer });
    await plan(ticket.id);
    await t.patch(ticket.id, { status: "pending", priority: "high" });
    const [mail, ...rest] = await plan(ticket.id);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ topic: "customer.status_changed", destination: customer.email });
    expect(mail!.payload.subject).toBe(`[#${ticket.number}] Your request is now waiting for your reply: Invoice charged twice`);
    expect(mail!.payload.text).toContain("it was received");

    await t.patch(ticket.id, { priority: "urgent" }); // no status change: no mail
    expect(await plan(ticket.id)).toEqual([]);
  });

  it("tells the agent an escalation names, with the handover note, and the customer only once the team took it over", async () => {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer, subject: "Refund please" });
    await plan(ticket.id);
    const escalation = await t.escalate(ticket.id, { kind: "functional", toTeamId: teams.billing.id, toAgentId: staff.bob.id });

    const [toBob, ...rest] = await plan(ticket.id);
    expect(rest).toEqual([]); // nothing to the customer yet
    expect(toBob).toMatchObject({ topic: "agent.escalated_to_you", destination: "bob@support.test" });
    const p = toBob!.payload;
    expect(p.subject).toBe(`[Tierline #${ticket.number}] Escalated to you: Refund please`);
    expect(p.text).toContain(HANDOVER);
    expect(p.text).toContain("from Frontline to Billing (L2) by Alice");
    expect(p.headers["Auto-Submitted"]).toBe("auto-generated");
    expect(p.headers["X-Tierline-Delivery"]).toBe(toBob!.key);
    expect(p.messageId).toMatch(new RegExp(`^<n${ticket.number}\\.`));
    expect(p.replyTo).toBeNull();
    expect(await threadOf(ticket.id)).not.toContain(p.messageId); // a reply to a notification is not the customer's

    const ack = await t.send(as.bob, "POST", `/escalations/${escalation.id}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    const [toCustomer, ...more] = await plan(ticket.id);
    expect(more).toEqual([]);
    expect(toCustomer).toMatchObject({ topic: "customer.escalation_taken_over", destination: customer.email });
    expect(toCustomer!.payload.subject).toBe(`[#${ticket.number}] Your request is now with our Billing team`);
    expect(toCustomer!.payload.text).toContain("is now with our Billing specialists");
    for (const part of [toCustomer!.payload.subject, toCustomer!.payload.text, toCustomer!.payload.html]) expect(part).not.toContain("refund is needed");
    expect(toCustomer!.payload.headers["Auto-Submitted"]).toBeUndefined();
  });

  it("tells the leads of the target team when an escalation names no agent, or its members when it has no lead", async () => {
    const leo = await t.send(as.admin, "POST", "/agents", { email: "leo@support.test", name: "Leo", role: "lead", teamIds: [teams.billing.id], password: TEST_PASSWORD });
    expect(leo.status, leo.text).toBe(201);
    const toBilling = await t.openTicket({ customer: uniqueCustomer() });
    await plan(toBilling.id);
    await t.escalate(toBilling.id, { kind: "functional", toTeamId: teams.billing.id });
    expect(summary(await plan(toBilling.id))).toEqual([["agent.escalated_to_you", "leo@support.test"]]);

    const toTechnical = await t.openTicket({ customer: uniqueCustomer() });
    await plan(toTechnical.id);
    await t.escalate(toTechnical.id, { kind: "functional", toTeamId: teams.technical.id });
    expect(summary(await plan(toTechnical.id))).toEqual([["agent.escalated_to_you", "tina@support.test"]]);
  });

  it("tells an agent who is given a ticket by someone else, and no agent who is inactive", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Slow Wi-Fi" });
    await plan(ticket.id);
    await t.patch(ticket.id, { assigneeId: staff.alice.id }, as.lena);
    const [mail, ...rest] = await plan(ticket.id);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ topic: "agent.assigned", destination: "alice@support.test" });
    expect(mail!.payload.subject).toBe(`[Tierline #${ticket.number}] Assigned to you: Slow Wi-Fi`);
    expect(mail!.payload.text).toContain("Hello Alice,");
    expect(mail!.payload.headers["Auto-Submitted"]).toBe("auto-generated");

    await t.patch(ticket.id, { assigneeId: staff.lena.id }, as.lena); // taking it yourself
    expect(await plan(ticket.id)).toEqual([]);

    // An agent who has left gets nothing: a breach on a ticket still assigned to them goes to the leads.
    await t.patch(ticket.id, { assigneeId: staff.alice.id }, as.lena);
    expect(summary(await plan(ticket.id))).toEqual([["agent.assigned", "alice@support.test"]]);
    await h.store.db.update(agents).set({ active: false }).where(eq(agents.id, staff.alice.id));
    try {
      await h.store.db.transaction((tx) => enqueue(tx, h.clock.now(), "sla.breached", { ticketId: ticket.id, metric: "first_response", dueAt: null }));
      expect(summary(await plan(ticket.id))).toEqual([["agent.sla_breached", "lena@support.test"]]);
    } finally {
      await h.store.db.update(agents).set({ active: true }).where(eq(agents.id, staff.alice.id));
    }
  });

  it("asks the approver to approve a resolution above the requester's limit", async () => {
    await useRoleLimits(t);
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    await plan(ticket.id);
    const res = await t.send(as.alice, "POST", `/tickets/${ticket.id}/resolutions`, { type: "refund", amount: 80, currency: "EUR", note: "Second charge of November." });
    expect(res.status, res.text).toBe(201);
    const mails = await plan(ticket.id);
    expect(summary(mails)).toEqual([["agent.approval_needed", "lena@support.test"]]);
    const p = mails[0]!.payload;
    expect(p.subject).toBe(`[Tierline #${ticket.number}] Approval needed: refund of 80.00 EUR`);
    expect(p.text).toContain("Alice asks you to approve a refund of 80.00 EUR");
    expect(p.text).toContain("Second charge of November.");
    expect(p.text).toContain("Granted before on this ticket: nothing");
    // A second request on the same ticket shows the first, still waiting (issue 9 item 11).
    const again = await t.send(as.alice, "POST", `/tickets/${ticket.id}/resolutions`, { type: "refund", amount: 10, currency: "EUR", note: "Postage for the return." });
    expect(again.body.status).toBe("pending_approval");
    const next = await plan(ticket.id);
    expect(next[0]!.payload.text).toContain("Granted before on this ticket: 80.00 EUR (0.00 applied, 80.00 waiting for approval)");
    expect(next[0]!.payload.html).toContain("Granted before on this ticket: 80.00 EUR");
  });

  it("warns the assignee of an SLA target, or the team's leads when nobody has the ticket", async () => {
    const assigned = await t.openTicket({ customer: uniqueCustomer() });
    await t.patch(assigned.id, { assigneeId: staff.alice.id }, as.lena);
    await plan(assigned.id);
    const unassigned = await t.openTicket({ customer: uniqueCustomer() });
    await plan(unassigned.id);
    await h.store.db.transaction(async (tx) => {
      const now = h.clock.now();
      await enqueue(tx, now, "sla.warning", { ticketId: assigned.id, clockId: null, metric: "first_response", dueAt: "2026-03-02T10:00:00.000Z" });
      await enqueue(tx, now, "sla.breached", { ticketId: unassigned.id, clockId: null, metric: "resolution", dueAt: "2026-03-02T17:30:00.000Z" });
    });
    const [warning] = await plan(assigned.id);
    expect(warning).toMatchObject({ topic: "agent.sla_warning", destination: "alice@support.test" });
    expect(warning!.payload.subject).toBe(`[Tierline #${assigned.number}] SLA warning: first response due Mon 2 Mar 2026, 10:00 UTC`);
    const breach = await plan(unassigned.id);
    expect(summary(breach)).toEqual([["agent.sla_breached", "lena@support.test"]]);
    expect(breach[0]!.payload.text).toContain("was missed: it was due at Mon 2 Mar 2026, 17:30 UTC");
  });

  it("shows times in the reader's zone: the customer in the ticket's Berlin calendar, an agent in their own calendar's", async () => {
    const berlin = await insertOfficeCalendar(h.store, "Europe/Berlin");
    const newYork = await insertOfficeCalendar(h.store, "America/New_York");
    // Inactive, so other tickets of this file match no policy; this ticket is given it directly.
    const policy = await insertPolicy(h.store, { active: false, calendarId: berlin });
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    await h.store.db.update(tickets).set({ slaPolicyId: policy }).where(eq(tickets.id, ticket.id));
    const [received] = await plan(ticket.id);
    // The harness clock reads 2026-03-02 09:xx UTC: 10:xx in Berlin (CET, UTC+1).
    expect(received!.payload.text).toContain(`(Mon 2 Mar 2026, ${berlinWinter(h.clock.now())} CET) as ticket #`);
    expect(received!.payload.html).toContain(`(Mon 2 Mar 2026, ${berlinWinter(h.clock.now())} CET)`);

    await t.patch(ticket.id, { assigneeId: staff.alice.id }, as.lena);
    await plan(ticket.id);
    await h.store.db.update(agents).set({ calendarId: newYork }).where(eq(agents.id, staff.alice.id));
    try {
      await h.store.db.transaction((tx) =>
        enqueue(tx, h.clock.now(), "sla.warning", { ticketId: ticket.id, clockId: null, metric: "first_response", dueAt: "2026-07-02T16:30:00.000Z" }),
      );
      const [warning] = await plan(ticket.id);
      expect(warning!.destination).toBe("alice@support.test");
      expect(warning!.payload.subject).toContain("first response due Thu 2 Jul 2026, 12:30 EDT");
    } finally {
      await h.store.db.update(agents).set({ calendarId: null }).where(eq(agents.id, staff.alice.id));
    }
    // Lena has no calendar of her own: the ticket's (Berlin, summer time).
    await t.patch(ticket.id, { assigneeId: null }, as.lena);
    await plan(ticket.id);
    await h.store.db.transaction((tx) => enqueue(tx, h.clock.now(), "sla.breached", { ticketId: ticket.id, clockId: null, metric: "resolution", dueAt: "2026-07-02T16:30:00.000Z" }));
    const breach = await plan(ticket.id);
    expect(summary(breach)).toEqual([["agent.sla_breached", "lena@support.test"]]);
    expect(breach[0]!.payload.text).toContain("it was due at Thu 2 Jul 2026, 18:30 CEST");
  });

  it("shows times in the server's default zone when neither the reader nor the ticket has a calendar", async () => {
    const berlinPlanner = createEmailPlanner({ publicUrl: "https://help.tierline.test/", mailFrom: FROM, mailDomain: DOMAIN, timeZone: "Europe/Berlin" });
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    const [row] = await h.store.db.select().from(outbox).where(sql`${outbox.payload}->>'ticketId' = ${ticket.id}`);
    planned.add(row!.id);
    const [mail] = (await h.store.db.transaction((tx) => berlinPlanner(tx, { id: row!.id, topic: row!.topic, payload: row!.payload, createdAt: row!.createdAt }))) as Mail[];
    expect(mail!.payload.text).toContain(`(Mon 2 Mar 2026, ${berlinWinter(h.clock.now())} CET)`);
  });

  it("keeps the customer informed when a periodic update the SLA requires is overdue, without internal details", async () => {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer });
    await t.patch(ticket.id, { assigneeId: staff.alice.id }, as.lena);
    await plan(ticket.id);
    await h.store.db.transaction((tx) =>
      enqueue(tx, h.clock.now(), "sla.breached", { ticketId: ticket.id, clockId: null, metric: "periodic_update", dueAt: "2026-03-02T13:00:00.000Z" }),
    );
    const mails = await plan(ticket.id);
    expect(summary(mails)).toEqual([
      ["agent.sla_breached", "alice@support.test"],
      ["customer.periodic_update", customer.email.toLowerCase()],
    ]);
    const update = mails[1]!.payload;
    expect(update.subject).toBe(`[#${ticket.number}] An update on your request: ${ticket.subject}`);
    expect(update.text).toContain("still working on your request");
    expect(update.text).not.toMatch(/SLA|breach|periodic/i);
    expect(update.inReplyTo).toMatch(/^<t\d+\./);
  });

  it("notifies the role a rule names on the ticket's team, or everyone of that role when the team has none", async () => {
    const res = await t.send(as.admin, "POST", "/escalation-rules", {
      name: "Regulator threats",
      conditions: [{ field: "text", op: "contains_any", value: ["ombudsman"] }],
      actions: [{ type: "notify", role: "lead" }, { type: "notify", role: "admin" }],
    });
    expect(res.status, res.text).toBe(201);
    try {
      const ticket = await t.openTicket({ customer: uniqueCustomer(), subject: "Going to the ombudsman" });
      const mails = await plan(ticket.id);
      expect(summary(mails).sort()).toEqual(
        [
          ["customer.ticket_received", mails.find((m) => m.topic === "customer.ticket_received")!.destination],
          ["agent.rule_notify", "lena@support.test"],
          ["agent.rule_notify", "admin@support.test"],
        ].sort(),
      );
      const toLena = mails.find((m) => m.destination === "lena@support.test")!;
      expect(toLena.payload.subject).toBe(`[Tierline #${ticket.number}] Rule "Regulator threats" matched: Going to the ombudsman`);
    } finally {
      await t.send(as.admin, "PATCH", `/escalation-rules/${res.body.id}`, { active: false });
    }
  });

  it("tells staff of a customer's escalation request and the customer why it was declined", async () => {
    const carol = await t.signIn(h.org.customers.carol.email);
    const ticket = await t.openTicket({ subject: "Shop cannot take payments" }, carol);
    await t.patch(ticket.id, { assigneeId: staff.alice.id }, as.lena);
    await plan(ticket.id);
    h.clock.advance(5 * 3_600_000);
    const requested = await t.send(carol, "POST", `/tickets/${ticket.id}/escalation-requests`, { reason: "Nobody has answered for hours." });
    expect(requested.status, requested.text).toBe(201);
    const toStaff = await plan(ticket.id);
    expect(summary(toStaff)).toEqual([
      ["agent.escalation_requested", "alice@support.test"],
      ["agent.escalation_requested", "lena@support.test"],
    ]);
    expect(toStaff[0]!.payload.text).toContain("Nobody has answered for hours.");

    const declined = await t.send(as.lena, "POST", `/escalation-requests/${requested.body.id}/decline`, { reason: "Alice is on it and will call you within the hour." });
    expect(declined.status, declined.text).toBe(200);
    const [toCarol, ...rest] = await plan(ticket.id);
    expect(rest).toEqual([]);
    expect(toCarol).toMatchObject({ topic: "customer.escalation_request_declined", destination: "carol@customer.test" });
    expect(toCarol!.payload.text).toContain("Alice is on it and will call you within the hour.");
    expect(toCarol!.payload.subject).toContain(`[#${ticket.number}]`);
  });

  it("sends no mail to a chat customer, who follows the conversation live", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer(), channel: "chat" });
    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Hi, how can I help?" });
    expect(await plan(ticket.id)).toEqual([]);
  });

  it("ignores topics that are not mail", async () => {
    const ticket = await t.openTicket({ customer: uniqueCustomer() });
    await plan(ticket.id);
    await h.store.db.transaction((tx) => enqueue(tx, h.clock.now(), "resolution.applied", { ticketId: ticket.id }));
    expect(await plan(ticket.id)).toEqual([]);
  });
});
