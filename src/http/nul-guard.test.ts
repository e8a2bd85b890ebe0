import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { calendars, customers, escalationRules, messages, tickets } from "../db/schema.js";
import { startHarness } from "../test-support/harness.js";
import { expectInvalid } from "../test-support/problem-assertions.js";
import { ticketApi } from "../test-support/ticket-api.js";

const OFFICE_DAY = [["09:00", "17:00"]];

describe("text the store cannot hold faithfully", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as, send } = t;
  const ticket = await t.openTicket();

  async function rowCounts() {
    const db = h.store.db;
    const n = async (table: typeof tickets | typeof calendars | typeof customers | typeof escalationRules | typeof messages) =>
      (await db.select({ n: count() }).from(table))[0]!.n;
    return { tickets: await n(tickets), calendars: await n(calendars), customers: await n(customers), rules: await n(escalationRules), messages: await n(messages) };
  }

  /** A raw JSON body, so the escape `\ud800` reaches the server exactly as a client wrote it. */
  const raw = (json: string) => h.api("POST", "/api/v1" + json.split("\n")[0], { token: h.org.agents.admin.token, body: json.split("\n")[1], headers: { "content-type": "application/json" } });

  it("refuses lone UTF-16 surrogates with 400 naming the field, wherever text goes (jsonb and text columns)", async () => {
    const before = await rowCounts();
    const cases: [ReturnType<typeof send>, string][] = [
      // jsonb: tags, holiday names, rule values
      [send(as.alice, "POST", "/tickets", { subject: "Tags", description: "d", channel: "email", customer: { email: "s1@customer.test" }, tags: ["ok", "bad\ud800"] }), "body.tags.1"],
      [send(as.admin, "POST", "/calendars", { name: "Surrogates", timezone: "UTC", hours: { mon: OFFICE_DAY }, holidays: [{ date: "2026-12-25", name: "Christmas \udc00" }] }), "body.holidays.0.name"],
      [
        send(as.admin, "POST", "/escalation-rules", { name: "Surrogate rule", conditions: [{ field: "category", op: "in", value: ["out\udbffage"] }], actions: [{ type: "notify", role: "lead" }] }),
        "body.conditions.0.value.0",
      ],
      // text: notes, names, subjects (a trailing high half, a low half first: both orders of a broken pair)
      [send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Internal note \ud83d", kind: "internal" }), "body.body"],
      [send(as.alice, "POST", "/tickets", { subject: "\ude00\ud83d reversed pair", description: "d", channel: "email", customer: { email: "s2@customer.test" } }), "body.subject"],
      [send(as.admin, "POST", "/customers", { email: "s3@customer.test", name: "Zoë \ud800" }), "body.name"],
      // object keys are text too
      [send(as.admin, "POST", "/calendars", { name: "Keys", timezone: "UTC", hours: { "mon\ud800": OFFICE_DAY } }), "body.hours.mon\\ud800"],
    ];
    for (const [pending, path] of cases) {
      const res = await pending;
      expectInvalid(res, [path]);
      expect(res.body.errors[0].message).toMatch(/surrogate/);
      // The response itself stays well-formed: the bad character is not echoed back.
      expect(res.text).not.toMatch(/\p{Cs}/u);
    }
    // Exactly as a client writes it on the wire: the six characters \ud800 inside a JSON string.
    expectInvalid(await raw('/customers\n{"email":"s4@customer.test","name":"Ann \\ud800 Lee"}'), ["body.name"]);
    expect(await rowCounts()).toEqual(before);
  });

  it("accepts proper surrogate pairs (emoji, CJK extension B) and stores them unchanged", async () => {
    const created = await t.openTicket({ subject: "Printer 🖨️ jams 𠀋", tags: ["🎉"] });
    expect(created.subject).toBe("Printer 🖨️ jams 𠀋");
    expect(created.tags).toEqual(["🎉"]);
    const customer = await raw('/customers\n{"email":"s5@customer.test","name":"Ann \\ud83d\\ude00 Lee"}');
    expect(customer.status, customer.text).toBe(201);
    expect(customer.body.name).toBe("Ann 😀 Lee");
  });
});
