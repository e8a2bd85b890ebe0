import { afterAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { adminApi, seriousA11yViolations, signedIn, webUrl } from "./support/browser";

// The API's JSON, as the test reads it.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const stamp = Date.now().toString(36);
let counter = 0;

/** A ticket of this file's own, in Frontline, with an internal note and a reply that the handover should quote. */
async function frontlineTicket(subject: string, extra: Record<string, unknown> = {}): Promise<Json> {
  counter += 1;
  const ticket = await adminApi<Json>("POST", "/tickets", {
    subject: `${subject} ${stamp}-${counter}`,
    description: "I was charged twice for my November invoice and the second charge has not been refunded.",
    channel: "email",
    category: "billing",
    customer: { email: `e2e-escalation-${stamp}-${counter}@customer.test`, name: `Escalation Customer ${counter}` },
    ...extra,
  });
  await adminApi("POST", `/tickets/${ticket.id}/messages`, { kind: "internal", body: "Checked the invoice: two identical charges on 3 Nov, card ending 4242." });
  await adminApi("POST", `/tickets/${ticket.id}/messages`, { kind: "public", body: "We are looking into the double charge and will come back to you today." });
  return ticket;
}

async function agentByEmail(email: string): Promise<Json> {
  const { data } = await adminApi<{ data: Json[] }>("GET", "/agents?limit=200");
  return data.find((a) => a.email === email);
}

async function openTicketPage(page: Page, ticket: Json): Promise<void> {
  await page.goto(`/tickets/${ticket.number}`);
  await page.getByRole("heading", { level: 1, name: `#${ticket.number} ${ticket.subject}` }).waitFor();
}

// One signed-in browser per person for the whole file: the server allows ten log-ins a minute from one address.
const sessions = new Map<string, ReturnType<typeof signedIn>>();
async function person(email: string, width = 1280) {
  let session = sessions.get(email);
  if (!session) sessions.set(email, (session = signedIn(email)));
  const visitor = await session;
  await visitor.page.setViewportSize({ width, height: 860 });
  return visitor;
}
afterAll(async () => {
  for (const s of sessions.values()) await (await s).context.close();
});

const noSeriousViolations = async (page: Page) => expect(JSON.stringify(await seriousA11yViolations(page), null, 1)).toBe("[]");

describe("escalation, resolutions and approvals in the browser", () => {
  it("an L1 agent escalates with a handover after seeing the preview; the L2 specialist sees it, acknowledges it and hands it back", async () => {
    const ticket = await frontlineTicket("Charged twice");
    const ava = await person("ava.frontline@tierline.demo");
    await openTicketPage(ava.page, ticket);
    await ava.page.getByRole("button", { name: "Escalate", exact: true }).click();
    const dialog = ava.page.getByRole("dialog", { name: `Escalate ticket #${ticket.number}` });
    await dialog.waitFor();
    // The handover starts with what was tried: the note and the reply.
    const note = dialog.getByRole("textbox", { name: "Handover note" });
    await expect.poll(() => note.inputValue()).toContain("two identical charges on 3 Nov");
    expect(await note.inputValue()).toContain("We are looking into the double charge");
    await note.press("End");
    await note.pressSequentially("please refund the second charge.");
    await dialog.getByRole("radio", { name: /Functional/ }).check();
    await dialog.getByRole("combobox", { name: "Target team" }).selectOption({ label: "Billing (L2 Specialists)" });
    await dialog.getByRole("combobox", { name: "Reason" }).selectOption("authority_required");
    await dialog.getByRole("button", { name: "Preview" }).click();

    const preview = dialog.getByRole("region", { name: "What this escalation will do" });
    await preview.getByText("Goes to Billing on L2 Specialists").waitFor();
    await preview.getByText(/SLA policy (stays|becomes)/).waitFor();
    // Nothing happened yet: the ticket is still in Frontline with no escalation.
    expect((await adminApi<Json>("GET", `/tickets/${ticket.id}/escalations`)).data).toEqual([]);
    await noSeriousViolations(ava.page);
    await dialog.getByRole("button", { name: "Confirm escalation" }).click();
    await dialog.waitFor({ state: "hidden" });
    const record = ava.page.getByRole("group", { name: "Active escalation" });
    await record.getByText("Waiting for acknowledgement").waitFor();
    await record.getByText("L1 Frontline · Frontline Support → L2 Specialists · Billing").waitFor();

    const bianca = await person("bianca.billing@tierline.demo");
    await openTicketPage(bianca.page, ticket);
    const seen = bianca.page.getByRole("group", { name: "Active escalation" });
    await seen.getByText("please refund the second charge.", { exact: false }).waitFor();
    await seen.getByText("Ava Lindgren", { exact: false }).first().waitFor();
    await bianca.page.getByRole("button", { name: "Acknowledge" }).click();
    await seen.getByText("Acknowledged", { exact: true }).waitFor();
    await seen.getByText(/Bianca/).first().waitFor();
    // Ava's open page follows live.
    await record.getByText("Acknowledged", { exact: true }).waitFor();
    const [escalation] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/escalations`)).data;
    expect(escalation).toMatchObject({ kind: "functional", reason: "authority_required", acknowledgedById: (await agentByEmail("bianca.billing@tierline.demo")).id });
    expect(escalation.note).toContain("Checked the invoice");

    // Done with the expert part: Bianca hands it back to Frontline with a note.
    await bianca.page.getByRole("button", { name: "De-escalate" }).click();
    const back = bianca.page.getByRole("dialog", { name: `Hand ticket #${ticket.number} back` });
    expect(await back.getByRole("combobox", { name: "Back to" }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe("Frontline Support (where it came from)");
    await back.getByRole("textbox", { name: "Note for the team taking it back" }).fill("Second charge refunded; please confirm with the customer.");
    await back.getByRole("button", { name: "De-escalate" }).click();
    await back.waitFor({ state: "hidden" });
    await bianca.page.getByText(/^Not escalated/).waitFor();
    await bianca.page.getByRole("heading", { name: "Earlier escalations" }).waitFor();
    await bianca.page.getByText(/by Ava Lindgren · handed back/).waitFor();
    await bianca.page.getByText("Second charge refunded; please confirm with the customer.").waitFor();
    expect(await adminApi<Json>("GET", `/tickets/${ticket.id}`)).toMatchObject({ teamId: ticket.teamId });
  });

  it("escalates with the keyboard only: e opens the dialog, Tab and arrows choose, Enter previews and confirms, Escape closes", async () => {
    const ticket = await frontlineTicket("Keyboard escalation");
    for (const width of [1280, 390]) {
      const { page } = await person("noah.frontline@tierline.demo", width);
      await openTicketPage(page, ticket);
      const focused = () => page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null;
        return `${el?.tagName}:${(label ?? el?.textContent ?? "").trim()}`;
      });
      await page.keyboard.press("e");
      const dialog = page.getByRole("dialog", { name: `Escalate ticket #${ticket.number}` });
      await dialog.waitFor();
      await expect.poll(focused).toMatch(/^INPUT:Hierarchical/);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      if (width === 390) {
        await page.keyboard.press("e");
        await dialog.waitFor();
        await noSeriousViolations(page);
        await page.keyboard.press("Escape");
        continue;
      }
      await page.keyboard.press("e");
      await dialog.waitFor();
      await expect.poll(focused).toMatch(/^INPUT:Hierarchical/);
      await page.keyboard.press("ArrowDown"); // functional
      expect(await dialog.getByRole("radio", { name: /Functional/ }).isChecked()).toBe(true);
      await page.keyboard.press("Tab");
      expect(await focused()).toMatch(/^SELECT:Target team/);
      await page.keyboard.press("ArrowDown"); // the first specialist team
      await expect.poll(() => dialog.getByRole("combobox", { name: "Target team" }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toMatch(/\(L2 Specialists\)/);
      await page.keyboard.press("Tab");
      expect(await focused()).toMatch(/^SELECT:Hand to agent/);
      await page.keyboard.press("Tab");
      expect(await focused()).toMatch(/^SELECT:Reason/);
      await page.keyboard.press("Tab");
      expect(await focused()).toMatch(/^TEXTAREA:Handover note/);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await focused()).toBe("BUTTON:Preview");
      await noSeriousViolations(page);
      await page.keyboard.press("Enter");
      await dialog.getByRole("region", { name: "What this escalation will do" }).waitFor();
      await expect.poll(focused).toBe("BUTTON:Confirm escalation");
      await noSeriousViolations(page);
      await page.keyboard.press("Enter");
      await dialog.waitFor({ state: "hidden" });
      await page.getByRole("group", { name: "Active escalation" }).getByText("Waiting for acknowledgement").waitFor();
      const escalations = (await adminApi<Json>("GET", `/tickets/${ticket.id}/escalations`)).data;
      expect(escalations).toHaveLength(1);
      expect(escalations[0]).toMatchObject({ kind: "functional", fromTeamId: ticket.teamId });
      await noSeriousViolations(page);
    }
  });

  it("sends a refund above the agent's limit for approval: the approver's queue has it and approves it, another agent can do neither", async () => {
    const ticket = await frontlineTicket("Refund above limit");
    const ava = await person("ava.frontline@tierline.demo");
    await openTicketPage(ava.page, ticket);
    const grant = ava.page.getByRole("form", { name: "Grant" });
    await grant.getByRole("combobox", { name: "Type" }).selectOption("refund");
    await grant.getByRole("textbox", { name: "Amount" }).fill("200");
    await grant.getByRole("textbox", { name: "Why (internal)" }).fill("Double charge of 180 EUR plus 20 EUR bank fees.");
    await grant.getByRole("button", { name: "Grant" }).click();
    const resolutions = ava.page.getByRole("table", { name: "Resolutions" });
    const waiting = resolutions.getByText(/^Waiting for approval by /);
    await waiting.waitFor();
    const [resolution] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/resolutions`)).data;
    expect(resolution).toMatchObject({ status: "pending_approval", amount: 200, currency: "EUR" });
    const { data: agents } = await adminApi<{ data: Json[] }>("GET", "/agents?limit=200");
    const approver = agents.find((a) => a.id === resolution.approval.approverId);
    expect(await waiting.textContent()).toBe(`Waiting for approval by ${approver.name}`);

    // Another agent: not in their queue, and the API refuses them.
    const noah = await person("noah.frontline@tierline.demo");
    await noah.page.goto("/approvals");
    await noah.page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();
    await noah.page.getByText(/Nothing waits for your approval|Approvals/).first().waitFor();
    expect(await noah.page.getByRole("link", { name: `#${ticket.number} ${ticket.subject}` }).count()).toBe(0);
    const refused = await noah.page.evaluate(async (id) => (await fetch(`/api/v1/approvals/${id}/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status, resolution.approval.id);
    expect(refused).toBe(403);

    for (const width of [390, 1280]) {
      const { page } = await person(approver.email, width);
      await page.goto("/approvals");
      const row = page.getByRole("table", { name: "Approvals" }).getByRole("row").filter({ has: page.getByRole("link", { name: `#${ticket.number} ${ticket.subject}` }) });
      await row.waitFor();
      await row.getByText(/Requested by Ava Lindgren/).waitFor();
      await row.getByText("Refund €200.00").waitFor();
      await row.getByText("Double charge of 180 EUR plus 20 EUR bank fees.").waitFor();
      await noSeriousViolations(page);
      if (width === 1280) {
        await row.getByRole("button", { name: /^Approve Refund/ }).click();
        await row.waitFor({ state: "detached" });
        // The requester's open ticket follows live.
        await resolutions.getByText(`Approved by ${approver.name}, applied`).waitFor();
        const [after] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/resolutions`)).data;
        expect(after).toMatchObject({ status: "applied", approval: { status: "approved" } });
      }
    }
  });

  it("shows a new request in the approver's open queue without a reload; denying needs a reason, which the requester then reads", async () => {
    const ticket = await frontlineTicket("Refund to deny");
    // Who decides a 200 EUR refund: the lowest-ranked person whose limit covers it, the same for the admin's
    // probe as for Ava's request (neither the admin nor Ava is that person).
    const probe = await frontlineTicket("Approver probe");
    const made = await adminApi<Json>("POST", `/tickets/${probe.id}/resolutions`, { type: "refund", amount: 200, currency: "EUR", note: "probe" });
    const { data: agents } = await adminApi<{ data: Json[] }>("GET", "/agents?limit=200");
    const approver = agents.find((a) => a.id === made.approval.approverId);
    const { page } = await person(approver.email);
    await page.goto("/approvals");
    await page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();

    const ava = await person("ava.frontline@tierline.demo");
    await openTicketPage(ava.page, ticket);
    const grant = ava.page.getByRole("form", { name: "Grant" });
    await grant.getByRole("textbox", { name: "Amount" }).fill("200");
    await grant.getByRole("textbox", { name: "Why (internal)" }).fill("Customer asks for a full refund of the month.");
    await grant.getByRole("button", { name: "Grant" }).click();
    await ava.page.getByRole("table", { name: "Resolutions" }).getByText(`Waiting for approval by ${approver.name}`).waitFor();

    // Already on the page when the request was made: the live stream brings the row in.
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `#${ticket.number} ${ticket.subject}` }) });
    await row.getByRole("button", { name: /^Deny Refund/ }).click();
    const dialog = page.getByRole("dialog", { name: "Deny this resolution" });
    await dialog.getByRole("button", { name: "Deny" }).click();
    await dialog.getByText("Say why it is denied.").waitFor();
    await dialog.getByRole("textbox", { name: "Reason for the requester" }).fill("Only the double charge is refundable.");
    await dialog.getByRole("button", { name: "Deny" }).click();
    await row.waitFor({ state: "detached" });
    await ava.page.getByText(`Denied by ${approver.name}: Only the double charge is refundable.`).waitFor();
    const [after] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/resolutions`)).data;
    expect(after).toMatchObject({ status: "denied", approval: { status: "denied", reason: "Only the double charge is refundable." } });
  });

  describe("a customer's escalation request", () => {
    // The file's own SLA policy, for its own category only: a first response due 2 s after opening lets the
    // customer ask for escalation at once (a younger ticket may not be escalated by its customer).
    let policyId: string | undefined;
    afterAll(async () => {
      if (policyId) await adminApi("PATCH", `/sla-policies/${policyId}`, { active: false });
    });

    async function customerWithRequest(): Promise<{ ticket: Json; ask: (reason: string) => Promise<void> }> {
      const category = `e2e-request-${stamp}`;
      policyId ??= (
        await adminApi<Json>("POST", "/sla-policies", {
          name: `E2E escalation requests ${stamp}`,
          position: 0,
          conditions: { categories: [category] },
          targets: { first_response: { low: "PT2S", normal: "PT2S", high: "PT2S", urgent: "PT2S" } },
        })
      ).id;
      counter += 1;
      const email = `e2e-requester-${stamp}-${counter}@customer.test`;
      const password = "requester-password-123";
      const customer = await adminApi<Json>("POST", "/customers", { email, name: `Requesting Customer ${counter}`, password });
      const ticket = await adminApi<Json>("POST", "/tickets", {
        subject: `Still no answer ${stamp}-${counter}`,
        description: "Nobody has answered my request about the broken export.",
        channel: "web",
        category,
        customerId: customer.id,
      });
      const login = await fetch(`${webUrl()}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith("tierline_session="))!.split(";")[0]!;
      const ask = async (reason: string) => {
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${webUrl()}/api/v1/tickets/${ticket.id}/escalation-requests`, {
            method: "POST",
            headers: { "content-type": "application/json", cookie },
            body: JSON.stringify({ reason }),
          });
          if (res.status === 201) return;
          // Until the 2 s first-response target has passed, the request is refused (409): wait for it.
          if (res.status !== 409 || attempt > 20) throw new Error(`escalation request answered ${res.status}: ${await res.text()}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      };
      return { ticket, ask };
    }

    it("is declined with a reason the customer reads, then accepted to the next level", async () => {
      const { ticket, ask } = await customerWithRequest();
      await ask("Three days without any answer, I need this escalated please.");
      const ava = await person("ava.frontline@tierline.demo");
      await openTicketPage(ava.page, ticket);
      const panel = ava.page.getByRole("region", { name: "Customer escalation requests" });
      await panel.getByText("Three days without any answer, I need this escalated please.").waitFor();
      await noSeriousViolations(ava.page);
      await panel.getByRole("button", { name: "Decline" }).click();
      const decline = ava.page.getByRole("dialog", { name: `Decline the escalation request on #${ticket.number}` });
      await decline.getByRole("textbox", { name: "Reason the customer reads" }).fill("We answered by phone this morning; the fix ships on Friday.");
      await decline.getByRole("button", { name: "Decline request" }).click();
      await decline.waitFor({ state: "hidden" });
      await panel.getByText("Declined").waitFor();
      await panel.getByText(/the fix ships on Friday/).waitFor();
      const [declined] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/escalation-requests`)).data;
      expect(declined).toMatchObject({ status: "declined", answer: "We answered by phone this morning; the fix ships on Friday." });

      await ask("The fix did not ship on Friday, please escalate this now.");
      await panel.getByText("The fix did not ship on Friday, please escalate this now.").waitFor();
      await panel.getByRole("button", { name: "Accept" }).click();
      const accept = ava.page.getByRole("dialog", { name: `Accept the escalation request on #${ticket.number}` });
      await accept.getByRole("combobox", { name: "Target team" }).selectOption({ label: "Next level up (Tierline picks the team)" });
      await accept.getByRole("textbox", { name: "Answer to the customer (optional)" }).fill("Our specialists take it from here.");
      await accept.getByRole("button", { name: "Accept and escalate" }).click();
      await accept.waitFor({ state: "hidden" });
      await panel.getByText("Accepted").waitFor();
      await ava.page.getByRole("group", { name: "Active escalation" }).getByText("Customer request").first().waitFor();
      const [, accepted] = (await adminApi<Json>("GET", `/tickets/${ticket.id}/escalation-requests`)).data;
      expect(accepted).toMatchObject({ status: "accepted", answer: "Our specialists take it from here." });
      const escalations = (await adminApi<Json>("GET", `/tickets/${ticket.id}/escalations`)).data;
      expect(escalations).toHaveLength(1);
      expect(escalations[0]).toMatchObject({ kind: "customer", id: accepted.escalationId });
    });
  });
});
