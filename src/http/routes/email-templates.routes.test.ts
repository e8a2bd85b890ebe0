import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createEmailPlanner, type EmailPayload } from "../../channels/email/outbound/plan-email.js";
import { EMAIL_TEMPLATE_KEYS } from "../../channels/email/outbound/templates.js";
import { emailTemplates, outbox } from "../../db/schema.js";
import { startHarness } from "../../test-support/harness.js";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { ticketApi, uniqueCustomer } from "../../test-support/ticket-api.js";

const RECEIVED = "customer.ticket_received";
const CUSTOM = {
  subject: "Thanks {{customer.name}}! Ticket {{ticket.number}} 🎫",
  text: "Dear {{customer.name}}, we got \"{{ticket.subject}}\".",
  html: "<h1>Dear {{ customer.name }}</h1><p>We got <em>{{ticket.subject}}</em>.</p>",
};

describe("email templates", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const planner = createEmailPlanner({ publicUrl: "http://127.0.0.1:3000", mailFrom: "Support <support@tierline.test>", mailDomain: "tierline.test" });

  /** The customer mail a new ticket gets, planned as the dispatcher would. */
  async function receivedMail(subject: string): Promise<EmailPayload> {
    const customer = uniqueCustomer();
    const ticket = await t.openTicket({ customer: { ...customer, name: "Zoë <O'Brien>" }, subject });
    const [row] = await h.store.db.select().from(outbox).where(sql`${outbox.topic} = 'ticket.created' and ${outbox.payload}->>'ticketId' = ${ticket.id}`);
    const [mail] = await h.store.db.transaction((tx) => planner(tx, { id: row!.id, topic: row!.topic, payload: row!.payload, createdAt: row!.createdAt }));
    return { ...(mail!.payload as EmailPayload), number: ticket.number } as EmailPayload & { number: number };
  }
  const storedRows = async () => (await h.store.db.select().from(emailTemplates)).length;

  it("lists the catalogue page by page, each template with its placeholders and built-in text", async () => {
    const items = await t.all(as.admin, "/email-templates", 5);
    expect(items.map((i) => i.key)).toEqual([...EMAIL_TEMPLATE_KEYS]);
    const received = items.find((i) => i.key === RECEIVED);
    expect(received).toMatchObject({ audience: "customer", isCustomised: false, updatedAt: null, updatedById: null });
    expect(received.placeholders).toContain("ticket.number");
    expect(received.placeholders).not.toContain("ticket.priority");
    expect(received.subject).toBe(received.builtIn.subject);
    const escalated = items.find((i) => i.key === "agent.escalated_to_you");
    expect(escalated.placeholders).toContain("escalation.note");
  });

  it("is for admins only", async () => {
    expectProblem(await t.send(as.alice, "GET", "/email-templates"), 403, "forbidden");
    expectProblem(await t.send(as.mark, "PUT", `/email-templates/${RECEIVED}`, CUSTOM), 403, "forbidden");
    const carol = await t.signIn(h.org.customers.carol.email);
    expectProblem(await t.send(carol, "GET", `/email-templates/${RECEIVED}`), 403, "forbidden");
    expectProblem(await t.send(undefined, "GET", `/email-templates/${RECEIVED}`), 401, "unauthenticated");
    expectProblem(await t.send(as.alice, "POST", `/email-templates/${RECEIVED}/preview`), 403, "forbidden");
    expect(await storedRows()).toBe(0);
  });

  it("answers 404 for a key outside the catalogue", async () => {
    expectProblem(await t.send(as.admin, "GET", "/email-templates/customer.nope"), 404, "email_template_not_found");
    expectProblem(await t.send(as.admin, "PUT", "/email-templates/customer.nope", CUSTOM), 404, "email_template_not_found");
    expectProblem(await t.send(as.admin, "DELETE", "/email-templates/customer.nope"), 404, "email_template_not_found");
  });

  it("refuses unknown and malformed placeholders, naming them, and stores nothing", async () => {
    const unknown = await t.send(as.admin, "PUT", `/email-templates/${RECEIVED}`, { ...CUSTOM, text: "Hi {{customer.name}}, {{ticket.secret}}" });
    expectProblem(unknown, 400, "template_placeholder_unknown");
    expect(unknown.body.errors).toEqual([{ path: "body.text", message: "unknown placeholder {{ticket.secret}}" }]);
    expect(unknown.body.detail).toContain("{{ticket.secret}}");
    expect(unknown.body.detail).toContain("{{ticket.number}}");

    // A customer template cannot be made to show what only staff may read.
    const internal = await t.send(as.admin, "PUT", "/email-templates/customer.escalation_taken_over", { ...CUSTOM, html: "<p>{{escalation.note}} {{ticket.priority}}</p>" });
    expectProblem(internal, 400, "template_placeholder_unknown");
    expect(internal.body.errors.map((e: { message: string }) => e.message)).toEqual(["unknown placeholder {{escalation.note}}", "unknown placeholder {{ticket.priority}}"]);

    const malformed = await t.send(as.admin, "PUT", `/email-templates/${RECEIVED}`, { ...CUSTOM, subject: "Ticket {{ticket.number" });
    expectProblem(malformed, 400, "template_syntax_invalid");
    expect(malformed.body.errors[0].path).toBe("body.subject");

    expectInvalid(await t.send(as.admin, "PUT", `/email-templates/${RECEIVED}`, { subject: "Hi", text: "Hi" }), ["body.html"]);
    expectInvalid(await t.send(as.admin, "PUT", `/email-templates/${RECEIVED}`, { ...CUSTOM, subject: "two\nlines" }), ["body.subject"]);
    expect(await storedRows()).toBe(0);
    expect((await t.send(as.admin, "GET", `/email-templates/${RECEIVED}`)).body.isCustomised).toBe(false);
  });

  it("previews the saved template or a draft with example values, escaping them in HTML", async () => {
    const saved = await t.send(as.admin, "POST", `/email-templates/${RECEIVED}/preview`);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.subject).toBe("[#1042] We received your request: Invoice charged twice 💳");
    expect(saved.body.text).toContain("Hello Carol Example,");

    const draft = await t.send(as.admin, "POST", `/email-templates/${RECEIVED}/preview`, { subject: "Got it", html: "<b>{{customer.name}}</b> {{ticket.url}}" });
    expect(draft.status, draft.text).toBe(200);
    expect(draft.body.subject).toBe("Got it [#1042]"); // customer mail always carries the ticket token
    expect(draft.body.html).toBe("<b>Carol Example</b> https://support.example.com/tickets/00000000-0000-4000-8000-000000001042");

    expectProblem(await t.send(as.admin, "POST", `/email-templates/${RECEIVED}/preview`, { text: "{{message.body}}" }), 400, "template_placeholder_unknown");
    expect(await storedRows()).toBe(0);
  });

  it("sends mail with an admin's template, and with the built-in one again after a reset", async () => {
    const put = await t.send(as.admin, "PUT", `/email-templates/${RECEIVED}`, CUSTOM);
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ key: RECEIVED, isCustomised: true, updatedById: h.org.agents.admin.id, ...CUSTOM });
    expect(put.body.updatedAt).toBe(h.clock.now().toISOString());
    expect((await t.send(as.admin, "GET", `/email-templates/${RECEIVED}`)).body).toMatchObject({ isCustomised: true, subject: CUSTOM.subject });

    const custom = (await receivedMail("Modem <blinks>")) as EmailPayload & { number: number };
    expect(custom.subject).toBe(`Thanks Zoë <O'Brien>! Ticket ${custom.number} 🎫 [#${custom.number}]`);
    expect(custom.text).toBe(`Dear Zoë <O'Brien>, we got "Modem <blinks>".`);
    expect(custom.html).toBe("<h1>Dear Zoë &lt;O&#39;Brien&gt;</h1><p>We got <em>Modem &lt;blinks&gt;</em>.</p>");

    const reset = await t.send(as.admin, "DELETE", `/email-templates/${RECEIVED}`);
    expect(reset.status, reset.text).toBe(200);
    expect(reset.body).toMatchObject({ isCustomised: false, updatedAt: null, subject: reset.body.builtIn.subject });
    expect((await t.send(as.admin, "DELETE", `/email-templates/${RECEIVED}`)).status).toBe(200); // resetting twice is harmless
    const builtIn = (await receivedMail("Modem blinks")) as EmailPayload & { number: number };
    expect(builtIn.subject).toBe(`[#${builtIn.number}] We received your request: Modem blinks`);
  });

  it("documents the endpoints in OpenAPI", async () => {
    const doc = (await h.api("GET", "/api/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/v1/email-templates", "/api/v1/email-templates/{key}", "/api/v1/email-templates/{key}/preview"]));
    expect(Object.keys(doc.paths["/api/v1/email-templates/{key}"])).toEqual(expect.arrayContaining(["get", "put", "delete"]));
  });
});
