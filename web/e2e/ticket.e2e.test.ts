import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { adminApi, seriousA11yViolations, sentMail, signedIn, waitForMail } from "./support/browser";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const unique = () => Math.random().toString(36).slice(2, 8);

/** A ticket of our own, from a customer of our own, on the frontline team (no rule matches its words). */
async function openOwnTicket(subject = `Cannot see my invoices ${unique()}`): Promise<{ ticket: Json; customer: { email: string; name: string } }> {
  const customer = { email: `ticket-e2e-${unique()}@customer.test`, name: `Wilma Flint` };
  const ticket = await adminApi<Json>("POST", "/tickets", { subject, description: "The invoices page stays empty since Monday.", channel: "web", priority: "normal", customer });
  return { ticket, customer };
}

const heading = (page: Page, ticket: Json) => page.getByRole("heading", { level: 1, name: `#${ticket.number} ${ticket.subject}` });

describe("the ticket page", () => {
  it("warns a reply that the ticket changed meanwhile, names the change, and sends it anyway when asked; presence shows the other agent", async () => {
    const { ticket, customer } = await openOwnTicket();
    const ava = await signedIn("ava.frontline@tierline.demo");
    const noah = await signedIn("noah.frontline@tierline.demo");
    await ava.page.goto(`/tickets/${ticket.number}`);
    await heading(ava.page, ticket).waitFor();
    await noah.page.goto(`/tickets/${ticket.number}`);
    await heading(noah.page, ticket).waitFor();

    // Each sees the other's avatar, live.
    await ava.page.getByRole("group", { name: "Also on this ticket" }).getByRole("img", { name: "Noah Fischer is viewing" }).waitFor();
    await noah.page.getByRole("group", { name: "Also on this ticket" }).getByRole("img", { name: "Ava Lindgren is viewing" }).waitFor();

    // Noah adds a note while Ava writes her reply.
    await noah.page.keyboard.press("n");
    await noah.page.getByRole("textbox", { name: "Internal note (staff only)" }).fill("Checked billing: the invoices exist.");
    await noah.page.getByRole("button", { name: "Add note" }).click();
    await noah.page.getByRole("article", { name: "Internal note: Noah Fischer" }).waitFor();

    const replyText = `Your invoices are back, sorry for the wait (${unique()}).`;
    await ava.page.keyboard.press("r");
    await ava.page.getByRole("textbox", { name: "Reply to the customer" }).fill(replyText);
    // Ava's typing shows on Noah's screen.
    await noah.page.getByRole("img", { name: "Ava Lindgren is typing" }).waitFor();
    await ava.page.getByRole("button", { name: "Send reply" }).click();

    const warning = ava.page.getByRole("dialog", { name: "Changed since you opened it" });
    await warning.waitFor();
    expect(await warning.textContent()).toContain("Changed since you opened it: Noah Fischer added an internal note");
    const before = await adminApi<Json>("GET", `/tickets/${ticket.id}/messages`);
    expect(before.data.map((m: Json) => m.body)).not.toContain(replyText);

    await warning.getByRole("button", { name: "Send anyway" }).click();
    await ava.page.getByRole("article", { name: "Reply: Ava Lindgren" }).filter({ hasText: replyText }).waitFor();
    const after = await adminApi<Json>("GET", `/tickets/${ticket.id}/messages`);
    expect(after.data.filter((m: Json) => m.body === replyText && m.kind === "public")).toHaveLength(1);
    await waitForMail((m) => m.to.includes(customer.email) && m.text.includes(replyText));

    // Noah goes back to his inbox: his avatar leaves Ava's page at once (a closed tab lapses after 30 s).
    await noah.page.getByRole("link", { name: "Inbox" }).first().click();
    await noah.page.waitForURL(/\/inbox/);
    await ava.page.getByRole("img", { name: "Noah Fischer is viewing" }).waitFor({ state: "detached" });
    await noah.context.close();
    await ava.context.close();
  });

  it("shows an internal note as a yellow note that never reaches the customer", async () => {
    const { ticket, customer } = await openOwnTicket();
    const { page, context } = await signedIn("ava.frontline@tierline.demo");
    await page.goto(`/tickets/${ticket.number}`);
    await heading(page, ticket).waitFor();

    const noteText = `Customer sounded angry on the phone (${unique()}).`;
    await page.keyboard.press("n");
    await page.getByRole("textbox", { name: "Internal note (staff only)" }).fill(noteText);
    await page.getByRole("button", { name: "Add note" }).click();
    const note = page.getByRole("article", { name: "Internal note: Ava Lindgren" });
    await note.filter({ hasText: noteText }).waitFor();
    expect(await note.getAttribute("data-kind")).toBe("internal");
    expect(await note.textContent()).toContain("Internal note");
    const background = await note.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe("rgb(255, 255, 255)");

    // A reply afterwards reaches the customer; the note is in no mail at all.
    const replyText = `We are on it (${unique()}).`;
    await page.locator("label", { hasText: /^Reply$/ }).click();
    await page.getByRole("textbox", { name: "Reply to the customer" }).fill(replyText);
    await page.getByRole("button", { name: "Send reply" }).click();
    await waitForMail((m) => m.to.includes(customer.email) && m.text.includes(replyText));
    const mails = await sentMail();
    expect(mails.some((m) => m.text.includes(noteText) || m.html.includes(noteText))).toBe(false);
    // It is stored as an internal note (which the messages API leaves out of a customer's view).
    const staffView = await adminApi<Json>("GET", `/tickets/${ticket.id}/messages`);
    expect(staffView.data.find((m: Json) => m.body === noteText)?.kind).toBe("internal");
    await context.close();
  });

  it("inserts a canned reply with its placeholders filled for this ticket and agent", async () => {
    const title = `Invoices fixed ${unique()}`;
    const canned = await adminApi<Json>("POST", "/canned-replies", {
      title,
      body: "Hello {{customer.first_name}},\n\nticket #{{ticket.number}} ({{ticket.subject}}) is solved.\n\n{{agent.name}}",
    });
    try {
      const { ticket } = await openOwnTicket();
      const { page, context } = await signedIn("ava.frontline@tierline.demo");
      await page.goto(`/tickets/${ticket.number}`);
      await heading(page, ticket).waitFor();
      await page.locator('input[aria-label="Insert a canned reply"]').click();
      await page.getByRole("option", { name: title }).click();
      const area = page.getByRole("textbox", { name: "Reply to the customer" });
      await expect.poll(() => area.inputValue()).toBe(`Hello Wilma,\n\nticket #${ticket.number} (${ticket.subject}) is solved.\n\nAva Lindgren`);
      await context.close();
    } finally {
      await adminApi("DELETE", `/canned-replies/${canned.id}`);
    }
  });

  it("shows the SLA clocks with their due time and business time left", async () => {
    const { ticket } = await openOwnTicket();
    const clocks = await adminApi<{ data: Json[] }>("GET", `/tickets/${ticket.id}/clocks`);
    const running = clocks.data.filter((c) => c.dueAt && c.state !== "cancelled");
    expect(running.length, "the demo's SLA policy starts clocks on a new ticket").toBeGreaterThan(0);
    const { page, context } = await signedIn("ava.frontline@tierline.demo");
    await page.goto(`/tickets/${ticket.number}`);
    const region = page.getByRole("region", { name: "SLA clocks" });
    await region.getByText(/business time/).first().waitFor();
    const text = (await region.textContent()) ?? "";
    for (const c of running) {
      // The browser and this process share the machine's zone.
      expect(text).toContain(`due ${dayjs(c.dueAt).format("ddd HH:mm")}`);
    }
    expect(text).toMatch(/\d+ (min|h|d)[^·]* business time|less than a minute business time/);
    await context.close();
  });

  it("has no serious accessibility violation, on a desktop and at 390 px with the side panels below", async () => {
    const { ticket } = await openOwnTicket();
    await adminApi("POST", `/tickets/${ticket.id}/messages`, { body: "A note from the admin.", kind: "internal" });
    for (const width of [1280, 390]) {
      const { page, context } = await signedIn("ava.frontline@tierline.demo", { width });
      await page.goto(`/tickets/${ticket.number}`);
      await heading(page, ticket).waitFor();
      await page.getByRole("article", { name: /Internal note/ }).waitFor();
      await page.getByRole("heading", { name: "Customer" }).waitFor();
      expect(JSON.stringify(await seriousA11yViolations(page), null, 1)).toBe("[]");
      if (width === 390) {
        const composer = await page.getByRole("region", { name: "Write on this ticket" }).boundingBox();
        const clocks = await page.getByRole("region", { name: "SLA clocks" }).boundingBox();
        expect(composer!.width).toBeLessThanOrEqual(390);
        expect(clocks!.y).toBeGreaterThan(composer!.y);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      }
      await context.close();
    }
  });
});
