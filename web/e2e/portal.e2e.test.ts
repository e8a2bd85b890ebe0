import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApi, newVisitor, sentMail, seriousA11yViolations, signedIn, STEP_MS, waitForMail, type SentMail } from "./support/browser";

// The customer portal as a customer uses it, on the shared seeded server. Everything is arranged for a
// customer of this file's own, and a category only its tickets have (so its fast SLA policy touches no one else's).
const RUN = Date.now().toString(36);
const EMAIL = `portal-e2e-${RUN}@customer.test`;
const CATEGORY = `portal-e2e-${RUN}`;
const SECRET = `INTERNAL-NOTE-${RUN}`;
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

type Ticket = { id: string; number: number; subject: string };
let customerId = "";
let policyId = "";
let fast: Ticket; // its first response is due within seconds: escalation may be asked for soon
let fresh: Ticket; // a standard ticket: asking for escalation is too early

async function axe(page: Page, where: string) {
  expect(JSON.stringify(await seriousA11yViolations(page), null, 1), where).toBe("[]");
}

/** Asks for a sign-in link on the page and opens the one mailed, as the customer would. */
async function signInByLink(page: Page) {
  const isLinkMail = (m: SentMail) => m.to.includes(EMAIL) && m.subject === "Your sign-in link";
  const earlier = new Set((await sentMail()).filter(isLinkMail).map((m) => m.text));
  await page.goto("/portal");
  await page.waitForURL(/\/portal\/sign-in/);
  await page.getByRole("heading", { name: "Sign in to your support portal" }).waitFor();
  await page.getByLabel("Your e-mail address").fill(EMAIL);
  await page.getByRole("button", { name: "E-mail me a sign-in link" }).click();
  await page.getByRole("status").filter({ hasText: "Check your e-mail" }).waitFor();
  const mail = await waitForMail((m) => isLinkMail(m) && !earlier.has(m.text));
  const link = /https?:\/\/\S+\/portal\/sign-in\?token=[A-Za-z0-9_%-]+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeDefined();
  const url = new URL(link!);
  await page.goto(`${url.pathname}${url.search}`);
  await page.waitForURL((u) => u.pathname === "/portal");
  await page.getByRole("heading", { name: "My requests" }).waitFor();
}

describe("the customer portal", () => {
  beforeAll(async () => {
    const customer = await adminApi<{ id: string }>("POST", "/customers", { email: EMAIL, name: "Petra Portal" });
    customerId = customer.id;
    const policy = await adminApi<{ id: string }>("POST", "/sla-policies", {
      name: `Portal e2e ${RUN}`,
      position: 1,
      conditions: { categories: [CATEGORY] },
      targets: { first_response: { low: "PT3S", normal: "PT3S", high: "PT3S", urgent: "PT3S" } },
    });
    policyId = policy.id;
    fast = await adminApi<Ticket>("POST", "/tickets", {
      subject: `Invoice charged twice ${RUN}`,
      description: "My card was charged twice for the November invoice.",
      channel: "email",
      customerId,
      category: CATEGORY,
    });
    fresh = await adminApi<Ticket>("POST", "/tickets", { subject: `Cannot export reports ${RUN}`, description: "The export button does nothing.", channel: "email", customerId });
    for (const t of [fast, fresh]) await adminApi("POST", `/tickets/${t.id}/messages`, { kind: "internal", body: `${SECRET}: customer is on the watch list` });
    await adminApi("POST", `/tickets/${fresh.id}/messages`, { kind: "public", body: "We are looking into the export for you." });
  });
  afterAll(async () => {
    if (policyId) await adminApi("DELETE", `/sla-policies/${policyId}`).catch(() => undefined);
  });

  it("signs a customer in by a mailed link, and lists their requests in plain words without internal notes", async () => {
    const { page, context } = await newVisitor();
    await signInByLink(page);
    const table = page.getByRole("table", { name: "My requests" });
    const row = table.getByRole("row").filter({ hasText: fresh.subject });
    await row.getByRole("link", { name: `#${fresh.number} ${fresh.subject}` }).waitFor();
    await row.getByText("We're working on it").waitFor();
    await row.getByText(/^With our .+ since \d\d:\d\d$/).waitFor();
    await axe(page, "/portal");
    expect(await page.content()).not.toContain(SECRET);

    // The link works once.
    await row.getByRole("link", { name: `#${fresh.number} ${fresh.subject}` }).click();
    await page.getByRole("heading", { level: 1, name: `#${fresh.number} ${fresh.subject}` }).waitFor();
    await page.getByText("We are looking into the export for you.").waitFor();
    await page.getByText("We replied").waitFor();
    expect(await page.content()).not.toContain(SECRET);
    await axe(page, "ticket page");
    await context.close();
  });

  it("replies with an attachment and asks for escalation, hearing plainly when it is too early, accepted, and declined with the reason", async () => {
    const { page, context } = await newVisitor();
    await signInByLink(page);
    await page.goto(`/portal/tickets/${fresh.number}`);
    await page.getByRole("heading", { level: 1, name: `#${fresh.number} ${fresh.subject}` }).waitFor();

    // Too early: the guardrail's answer with the time from which it is allowed.
    await page.getByRole("button", { name: "Ask for escalation" }).click();
    const dialog = page.getByRole("dialog", { name: "Ask for escalation" });
    await dialog.getByLabel("Why should we escalate?").fill("Nobody has fixed the export for a week now.");
    await dialog.getByRole("button", { name: "Send escalation request" }).click();
    await page.getByRole("alert").filter({ hasText: /It's too early to escalate this request\. You can ask after .*\d\d:\d\d\./ }).waitFor();

    // A reply with a file.
    await page.goto(`/portal/tickets/${fast.number}`);
    await page.getByRole("heading", { level: 1, name: `#${fast.number} ${fast.subject}` }).waitFor();
    expect(await page.content()).not.toContain(SECRET);
    await page.getByRole("textbox", { name: "Your message" }).fill("Here is the screenshot of both charges.");
    await page.locator('input[type="file"]').setInputFiles({ name: "charges.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByRole("article").filter({ hasText: "Here is the screenshot of both charges." }).getByRole("link", { name: "Download charges.png" }).waitFor();
    const files = await adminApi<{ data: { filename: string; size: number }[] }>("GET", `/tickets/${fast.id}/attachments`);
    expect(files.data.map((f) => [f.filename, f.size])).toEqual([["charges.png", PNG.length]]);

    // Its first response is late by now: the request is taken.
    await page.waitForTimeout(3500);
    await page.getByRole("button", { name: "Ask for escalation" }).click();
    await dialog.getByLabel("Why should we escalate?").fill("I was charged twice and need the money back this week.");
    await dialog.getByRole("button", { name: "Send escalation request" }).click();
    await page.getByRole("status").filter({ hasText: "We received your escalation request" }).waitFor();
    await page.getByText("Waiting for an answer from a team lead.").waitFor();

    // A lead declines it; the reason appears on the open page without a reload.
    const requests = await adminApi<{ data: { id: string }[] }>("GET", `/tickets/${fast.id}/escalation-requests`);
    await adminApi("POST", `/escalation-requests/${requests.data[0]!.id}/decline`, { reason: "A billing specialist is already on it and will refund you today." });
    await page.getByText("Declined: A billing specialist is already on it and will refund you today.", { exact: true }).waitFor({ timeout: STEP_MS });
    await page.getByText("Your escalation request was declined: A billing specialist is already on it and will refund you today.").waitFor();
    await axe(page, "ticket page with answers");
    await context.close();
  });

  it("opens a new request without a priority choice by default, at phone width too", async () => {
    const { page, context } = await newVisitor({ width: 390, height: 844 });
    await signInByLink(page);
    await axe(page, "/portal at 390 px");
    await page.getByRole("link", { name: "New request" }).first().click();
    await page.getByRole("heading", { name: "New request" }).waitFor();
    expect(await page.getByLabel("Priority").count()).toBe(0);
    await axe(page, "/portal/new at 390 px");
    await page.getByRole("textbox", { name: "Subject" }).fill(`Change my billing address ${RUN}`);
    await page.getByRole("textbox", { name: "Describe what you need" }).fill("We moved to Main Street 5.");
    await page.getByRole("button", { name: "Send request" }).click();
    const heading = page.getByRole("heading", { level: 1, name: new RegExp(`^#\\d+ Change my billing address ${RUN}$`) });
    await heading.waitFor();
    const number = Number(/^#(\d+)/.exec((await heading.textContent()) ?? "")?.[1]);
    const created = await adminApi<{ priority: string; channel: string; customerId: string }>("GET", `/tickets/by-number/${number}`);
    expect(created).toMatchObject({ priority: "normal", channel: "web", customerId });
    await page.getByText("We're working on it").first().waitFor();
    await axe(page, "ticket page at 390 px");
    await context.close();
  });

  it("has an accessible sign-in page, linked from the staff log-in, and tells staff the portal is for customers", async () => {
    const { page, context } = await newVisitor();
    await page.goto("/login");
    await page.getByRole("link", { name: "Go to the customer portal" }).click();
    await page.waitForURL(/\/portal\/sign-in/);
    await page.getByRole("button", { name: "Sign in with a password instead" }).click();
    await page.getByRole("textbox", { name: "Password" }).waitFor();
    await axe(page, "/portal/sign-in");
    await page.goto("/portal/sign-in?token=tl_signin_forged");
    await page.getByRole("alert").filter({ hasText: "This sign-in link is not valid" }).waitFor();
    await context.close();

    const staff = await signedIn("ava.frontline@tierline.demo");
    await staff.page.goto("/portal");
    await staff.page.getByText("This is the customer portal").waitFor();
    await staff.page.getByRole("link", { name: "Go to your inbox" }).waitFor();
    await staff.context.close();
  });
});
