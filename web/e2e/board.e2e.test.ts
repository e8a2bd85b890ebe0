import { afterAll, describe, expect, it } from "vitest";
import { adminApi, seriousA11yViolations, signedIn } from "./support/browser";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const LEAD = "lucas.lead@tierline.demo";
const AGENT = "ava.frontline@tierline.demo";
const tag = Math.random().toString(36).slice(2, 8);
/** A category only this file's tickets carry, so its SLA policy matches nothing else on the shared server. */
const CATEGORY = `board-e2e-${tag}`;

describe("the live escalation board", async () => {
  const policyIds: string[] = [];
  const ticketIds: string[] = [];
  afterAll(async () => {
    // Leave the shared server as found: the policy retired (it timed a ticket, so DELETE keeps its history), the ticket closed.
    for (const id of ticketIds) await adminApi("PATCH", `/tickets/${id}`, { status: "closed" }).catch(() => undefined);
    for (const id of policyIds) await adminApi("DELETE", `/sla-policies/${id}`);
  });

  const agents = (await adminApi<{ data: Json[] }>("GET", "/agents?limit=200")).data;
  const lucas = agents.find((a) => a.email === LEAD);
  expect(lucas, "the demo lead").toBeDefined();

  it("shows a lead a real breach appear in Breaches today without a reload", async () => {
    const fifteen = { low: "PT15S", normal: "PT15S", high: "PT15S", urgent: "PT15S" };
    const policy = await adminApi<Json>("POST", "/sla-policies", {
      name: `Board e2e ${tag}`,
      position: 0,
      conditions: { categories: [CATEGORY] },
      targets: { first_response: fifteen },
    });
    policyIds.push(policy.id);

    const { page, context } = await signedIn(LEAD);
    await page.goto("/board");
    const breaches = page.getByRole("region", { name: "Breaches today" });
    await breaches.waitFor();
    // A mark that a reload would wipe.
    await page.evaluate(() => ((window as unknown as { boardMark: string }).boardMark = "still here"));

    const subject = `Board e2e breach ${tag}`;
    const ticket = await adminApi<Json>("POST", "/tickets", {
      subject,
      description: "Nobody answers this one in time, on purpose.",
      channel: "email",
      category: CATEGORY,
      customer: { email: `board-e2e-${tag}@customer.test`, name: "Board Test" },
    });
    ticketIds.push(ticket.id);
    expect(lucas.teamIds, "the ticket is routed to a team the lead belongs to").toContain(ticket.teamId);
    const clocks = (await adminApi<{ data: Json[] }>("GET", `/tickets/${ticket.id}/clocks`)).data;
    expect(clocks.find((c) => c.metric === "first_response")?.policyId, "the test's own policy times the ticket").toBe(policy.id);

    const name = `#${ticket.number} ${subject}`;
    // First it is due within the hour, counting down…
    const soon = page.getByRole("region", { name: "Breaching in the next hour" });
    await soon.getByRole("link", { name }).waitFor({ timeout: 10_000 });
    await expect.poll(() => soon.getByText(/breaches in 0:\d\d/).count(), { timeout: 5_000 }).toBeGreaterThan(0);
    // …then the deadline engine breaches it (15 s), and the stream brings it to the tile.
    await breaches.getByRole("link", { name }).waitFor({ timeout: 60_000 });
    await expect(soon.getByRole("link", { name }).count()).resolves.toBe(0);
    await breaches.getByText(/First response · breached \d\d:\d\d:\d\d/).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { boardMark?: string }).boardMark)).toBe("still here");
    await expect(breaches.getByRole("link", { name }).getAttribute("href")).resolves.toBe(`/tickets/${ticket.number}`);
    await context.close();
  });

  it("refuses an agent: no Board in the navigation, and a clear message at its address", async () => {
    const { page, context } = await signedIn(AGENT);
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "Inbox" }).waitFor();
    expect(await nav.getByRole("link", { name: "Board" }).count()).toBe(0);
    await page.goto("/board");
    await page.getByRole("alert").filter({ hasText: "for team leads, managers and admins" }).waitFor();
    expect(await page.getByRole("region", { name: "Open escalations" }).count()).toBe(0);
    await page.getByRole("link", { name: "Go to your inbox" }).click();
    await page.waitForURL((url) => url.pathname === "/inbox");
    await context.close();
  });

  it("links each tile and each team row to the matching inbox view", async () => {
    const { page, context } = await signedIn(LEAD);
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Board" }).click();
    await page.waitForURL((url) => url.pathname === "/board");
    const hrefOf = (region: string, link: string | RegExp) => page.getByRole("region", { name: region }).getByRole("link", { name: link }).first().getAttribute("href");
    expect(await hrefOf("Open escalations", "Open escalations in the inbox")).toBe("/inbox?view=escalated");
    expect(await hrefOf("Breaching in the next hour", "Breaching in the next hour in the inbox")).toBe("/inbox?view=at-risk");
    expect(await hrefOf("Breaches today", "Breaches today in the inbox")).toBe("/inbox?view=all&overdue=true");
    // Queues: one row per team of the lead, each opening that team's list.
    const team = agents.find((a) => a.email === LEAD).teamIds[0] as string;
    const teams = (await adminApi<{ data: Json[] }>("GET", "/teams?limit=200")).data;
    const teamName = teams.find((x) => x.id === team).name as string;
    const queues = page.getByRole("table", { name: "Queues" });
    expect(await queues.getByRole("link", { name: teamName }).getAttribute("href")).toBe(`/inbox?view=all&teamId=${team}`);
    // The first test's breach is on the lead's team: its per-team link opens the team's overdue list.
    const breachRow = page.getByRole("group", { name: "Breaches today: By team" }).getByRole("link", { name: new RegExp(`^${teamName}:`) });
    expect(await breachRow.getAttribute("href")).toBe(`/inbox?view=all&teamId=${team}&overdue=true`);
    await page.getByRole("link", { name: "Open escalations in the inbox" }).click();
    await page.waitForURL((url) => url.pathname === "/inbox" && url.searchParams.get("view") === "escalated");
    await context.close();
  });

  it("has no serious accessibility problem, and stacks the tiles in one column at 390 px", async () => {
    for (const width of [1280, 390]) {
      const { page, context } = await signedIn(LEAD, { width });
      await page.goto("/board");
      await page.getByRole("region", { name: "Agents" }).waitFor();
      expect(JSON.stringify(await seriousA11yViolations(page), null, 1), `at ${width} px`).toBe("[]");
      const boxes = [];
      for (const name of ["Open escalations", "Breaching in the next hour", "Breaches today", "Queues", "Agents"]) {
        boxes.push((await page.getByRole("region", { name }).boundingBox())!);
      }
      if (width === 390) {
        for (const [i, box] of boxes.entries()) {
          expect(box.x, "one column").toBeCloseTo(boxes[0]!.x, 0);
          expect(box.x + box.width, "inside the screen").toBeLessThanOrEqual(390);
          if (i > 0) expect(box.y).toBeGreaterThan(boxes[i - 1]!.y + boxes[i - 1]!.height - 1);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth), "no sideways scrolling").toBeLessThanOrEqual(390);
      } else {
        expect(boxes[1]!.x, "two columns on a desktop").toBeGreaterThan(boxes[0]!.x);
      }
      await context.close();
    }
  });
});
