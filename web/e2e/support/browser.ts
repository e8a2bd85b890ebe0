import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, expect, inject } from "vitest";

/** Debian's chromium; a missing browser fails the tests (they do not skip): `apt-get install chromium`. */
export const CHROMIUM = "/usr/bin/chromium";
export const DEMO_PASSWORD = "tierline-demo";
/** How long one step (a click answered, a text appearing) may take before the test fails. */
export const STEP_MS = 15_000;

export const webUrl = () => inject("webUrl");

let browser: Browser | undefined;

/** The file's browser: launched once, closed after its tests. */
export async function theBrowser(): Promise<Browser> {
  if (browser) return browser;
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`).toBe(true);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return browser;
}

/** A new person at the app: their own cookies, at desktop width unless told otherwise. */
export async function newVisitor(opts: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const b = await theBrowser();
  const context = await b.newContext({ baseURL: webUrl(), viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 }, reducedMotion: "reduce" });
  context.setDefaultTimeout(STEP_MS);
  const page = await context.newPage();
  return { context, page };
}

/** Logs in on the log-in page as a person would, and waits for their first screen. */
export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("textbox", { name: "Password" }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** A person with a signed-in browser. */
export async function signedIn(email: string, opts: { width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const visitor = await newVisitor(opts);
  await logIn(visitor.page, email);
  return visitor;
}

const axeSource = readFileSyncOnce();
function readFileSyncOnce(): () => Promise<string> {
  let cached: string | undefined;
  return async () => (cached ??= await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8"));
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html?: string; summary?: string | undefined }[] };

/** Runs axe-core on the page as it is and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: await axeSource() });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: (n as unknown as { html: string }).html.slice(0, 200), summary: (n as unknown as { failureSummary?: string }).failureSummary?.slice(0, 200) })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Calls the server's API as the admin (for arranging data a test needs). */
export async function adminApi<T = unknown>(method: string, path: string, body?: unknown, token = inject("adminToken")): Promise<T> {
  const res = await fetch(`${webUrl()}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export type SentMail = { to: string[]; subject: string; text: string; html: string };

/** The mails the server has sent so far, oldest first. */
export async function sentMail(): Promise<SentMail[]> {
  const dir = inject("mailDir");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  const out: SentMail[] = [];
  for (const name of names) {
    try {
      out.push(JSON.parse(await readFile(join(dir, name), "utf8")) as SentMail);
    } catch {
      // being written right now: the next look sees it
    }
  }
  return out;
}

/** Waits for a mail to arrive that matches. */
export async function waitForMail(match: (m: SentMail) => boolean, timeoutMs = 20_000): Promise<SentMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await sentMail()).find(match);
    if (found) return found;
    if (Date.now() > until) throw new Error("No matching mail arrived.");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A temporary folder removed after the file's tests. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
