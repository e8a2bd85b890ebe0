import { describe, expect, it } from "vitest";
import { logIn, newVisitor, seriousA11yViolations, webUrl } from "./support/browser";

describe("the web app, served by tierline serve", () => {
  it("answers a deep link with the app, which sends a signed-out visitor to log in", async () => {
    const { page, context } = await newVisitor();
    await page.goto("/tickets/1001");
    await page.waitForURL(/\/login/);
    await page.getByRole("heading", { name: "Log in to Tierline" }).waitFor();
    expect(JSON.stringify(await seriousA11yViolations(page), null, 1)).toBe("[]");
    await context.close();
  });

  it("refuses a wrong password on the form and lets the right one in to the inbox", async () => {
    const { page, context } = await newVisitor();
    await page.goto("/login");
    await page.getByLabel("Email").fill("ava.frontline@tierline.demo");
    await page.getByRole("textbox", { name: "Password" }).fill("not the password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: "do not match" }).waitFor();
    await logIn(page, "ava.frontline@tierline.demo");
    expect(new URL(page.url()).pathname).toBe("/inbox");
    await context.close();
  });

  it("sends hashed assets long-cached and compressed, and the shell revalidated", async () => {
    const html = await fetch(`${webUrl()}/inbox`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("cache-control")).toBe("no-cache");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${webUrl()}${script}`, { headers: { "accept-encoding": "br, gzip" } });
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect(asset.headers.get("content-encoding")).toMatch(/br|gzip/);
    const api = await fetch(`${webUrl()}/api/v1/no-such-thing`, { headers: { accept: "text/html" } });
    expect(api.headers.get("content-type")).toContain("application/problem+json");
  });
});
