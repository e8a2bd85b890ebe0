import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { startHarness } from "../../test-support/harness.js";
import { ticketApi } from "../../test-support/ticket-api.js";

/** Debian's chromium; the test fails (it does not skip) without it: `apt-get install chromium`. */
const CHROMIUM = "/usr/bin/chromium";
/** How long one step may take in the browser before the test fails (a bound, not a measurement). */
const STEP_MS = 10_000;

describe("the web chat widget in a real browser", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  // The app on one origin (localhost), the customer's site on another (127.0.0.1, another port).
  await h.app.listen({ host: "127.0.0.1", port: 0 });
  const appPort = (h.app.server.address() as { port: number }).port;
  const appOrigin = `http://localhost:${appPort}`;

  // A host page whose own styles would wreck an unscoped widget (every button hidden, every text red).
  const hostPage = `<!doctype html><html><head><title>Shop</title>
    <style>button { display: none !important; } * { color: red !important; font-size: 40px !important; }</style></head>
    <body><h1>Our shop</h1>
    <script src="${appOrigin}/chat/widget.js" data-tierline-team="Frontline" async></script></body></html>`;
  const site: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(hostPage));
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  const siteUrl = `http://127.0.0.1:${(site.address() as { port: number }).port}/`;

  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = "";
  const pageErrors: string[] = [];

  /** Launches chromium with a fresh profile. Inside the test, so a missing browser fails the test rather than skipping it. */
  async function launch(): Promise<void> {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`).toBe(true);
    userDataDir = await mkdtemp(join(tmpdir(), "tierline-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (msg) => {
      if (msg.type() === "error") pageErrors.push(msg.text());
    });
  }
  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => site.close(resolve));
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  const widget = () => page.locator("[data-tierline-chat]");
  const bubble = (text: string) => widget().locator(".msg", { hasText: text });
  const shown = (text: string) => bubble(text).waitFor({ state: "visible", timeout: STEP_MS });

  it("opens a conversation from another site's page, shows an agent's reply live, and keeps the conversation across a reload", async () => {
    await launch();
    await page.goto(siteUrl);
    const launcher = widget().getByRole("button", { name: "Chat with us" });
    await launcher.waitFor({ state: "visible", timeout: STEP_MS }); // the host page's `button {display: none}` does not reach it
    await launcher.click();
    await widget().getByPlaceholder("Your name").fill("Wanda Web");
    await widget().getByPlaceholder("Your e-mail").fill("wanda@web.test");
    await widget().getByPlaceholder("How can we help?").fill("My parcel never arrived.");
    await widget().getByRole("button", { name: "Start chat" }).click();
    await shown("My parcel never arrived.");
    // The address typed in is not confirmed: the visitor is told a link went to it.
    await widget().getByRole("status").filter({ hasText: "We sent a link to wanda@web.test" }).waitFor({ state: "visible", timeout: STEP_MS });

    // The chat is a ticket with channel chat, on the widget's team, for the visitor as customer.
    const chats = (await t.all(as.admin, "/tickets")).filter((x) => x.channel === "chat" && x.description === "My parcel never arrived.");
    expect(chats).toHaveLength(1);
    const ticket = chats[0];
    expect(ticket.teamId).toBe(h.org.teams.frontline.id);

    // An internal note never reaches the visitor; a public reply arrives live, as text (not as HTML).
    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Courier says lost; refund.", kind: "internal" });
    const replyText = '<img src=x onerror="window.__pwned=1"> Your parcel ships again today.';
    h.clock.advance(60_000); // the fake clock moves, so the history has an order
    expect((await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: replyText })).status).toBe(201);
    await shown("Your parcel ships again today.");
    expect(await bubble("Your parcel ships again today.").textContent()).toContain(replyText);
    expect(await widget().locator("img").count()).toBe(0);
    expect(await page.evaluate("window.__pwned")).toBeUndefined();
    expect(await widget().locator(".msg", { hasText: "Courier says lost" }).count()).toBe(0);

    // The visitor's second message lands on the same ticket.
    h.clock.advance(60_000);
    await widget().getByPlaceholder("Type a message").fill("Thank you!");
    await widget().getByRole("button", { name: "Send" }).click();
    await shown("Thank you!");
    const messages = await t.all(as.alice, `/tickets/${ticket.id}/messages`);
    expect(messages.filter((m) => m.kind === "customer").map((m) => m.body)).toEqual(["Thank you!"]);
    expect((await t.all(as.admin, "/tickets")).filter((x) => x.channel === "chat" && x.customerId === ticket.customerId)).toHaveLength(1);

    // A reload keeps the conversation (its token is in localStorage) and follows it again.
    await page.reload();
    await widget().getByRole("button", { name: "Chat with us" }).click();
    await shown("Thank you!");
    expect(await widget().locator(".msg").allTextContents()).toEqual([
      "My parcel never arrived.",
      `Alice${replyText}`,
      "Thank you!",
    ]);
    await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body: "Anything else?" });
    await shown("Anything else?");
    expect(pageErrors).toEqual([]);
  });
});
