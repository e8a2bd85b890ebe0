import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";

/** Debian's chromium (no browser download). */
export const CHROMIUM = "/usr/bin/chromium";

/** Launches headless Chromium with the flags these machines need. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/**
 * Signs a person in through the API (staff and customers alike) and returns the session cookie as
 * `name=value`; a refusal throws with the server's answer.
 */
export async function sessionCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`log-in of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`log-in of ${email} set no cookie`);
  return cookie;
}

/** One session per person and server, shared by their contexts (the log-in endpoint is rate-limited). */
const sessions = new Map<string, Promise<string>>();

/** A new browser context (own cookies and cache) signed in as `email`, or signed out when `email` is null. */
export async function contextAs(
  browser: Browser,
  baseUrl: string,
  email: string | null,
  password: string,
  viewport = { width: 1280, height: 800 },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, reducedMotion: "reduce" });
  if (email) {
    const key = `${baseUrl} ${email.toLowerCase()}`;
    if (!sessions.has(key)) sessions.set(key, sessionCookie(baseUrl, email, password));
    const [name, ...rest] = (await sessions.get(key)!).split("=");
    await context.addCookies([{ name: name!, value: rest.join("="), url: baseUrl }]);
  }
  return context;
}

/** An API client as one person (bearer token), throwing on any non-2xx with the problem's text. */
export function apiClient(baseUrl: string, token: string) {
  return async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** An admin's API token on a server, made through a session of that admin. */
export async function adminToken(baseUrl: string, email: string, password: string, name: string): Promise<string> {
  const cookie = await sessionCookie(baseUrl, email, password);
  const res = await fetch(`${baseUrl}/api/v1/api-tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`creating an API token answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
