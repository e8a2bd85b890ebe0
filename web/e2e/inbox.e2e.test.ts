import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { adminApi, seriousA11yViolations, signedIn } from "./support/browser";

type Ticket = { id: string; number: number; subject: string; status: string };

/** A word no other ticket holds, so a search finds exactly this test's tickets. */
const uniqueWord = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Opens tickets through the API as the admin, one per subject, each mentioning `word` in its description. */
async function openTickets(word: string, subjects: string[], fields: Record<string, unknown> = {}): Promise<Ticket[]> {
  const made: Ticket[] = [];
  for (const subject of subjects) {
    made.push(
      await adminApi<Ticket>("POST", "/tickets", {
        subject,
        description: `The customer reports: ${word} does not work since this morning.`,
        channel: "web",
        customer: { email: `${word}@inbox-e2e.test`, name: "Inbox Tester" },
        ...fields,
      }),
    );
  }
  return made;
}

const ticketRows = (page: Page) => page.getByRole("table", { name: "Tickets" }).getByRole("row");
const ticketLink = (page: Page, t: Ticket) => page.getByRole("link", { name: `#${t.number} ${t.subject}`, exact: true });

/** Picks an option of a Mantine select found by its accessible name. */
async function choose(page: Page, field: string, option: string): Promise<void> {
  await page.getByRole("combobox", { name: field, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

describe("the inbox", () => {
  it("keeps the view and the filters in the URL, through a reload", async () => {
    const word = uniqueWord("urlstate");
    const [urgent, normal] = await openTickets(word, ["Checkout button frozen", "Invoice address wrong"], {});
    await adminApi("PATCH", `/tickets/${urgent!.id}`, { priority: "urgent" });
    const { page, context } = await signedIn("admin@tierline.demo");
    await page.goto("/inbox");
    await page.getByRole("tab", { name: /^All/ }).click();
    await page.waitForURL((u) => u.searchParams.get("view") === "all");
    await page.getByRole("searchbox", { name: "Search tickets" }).fill(word);
    await page.waitForURL((u) => u.searchParams.get("q") === word);
    await ticketLink(page, normal!).waitFor();
    await choose(page, "Priority", "Urgent");
    await page.waitForURL((u) => u.searchParams.get("priority") === "urgent");
    await ticketLink(page, normal!).waitFor({ state: "detached" });
    await ticketLink(page, urgent!).waitFor();

    await page.reload();
    await ticketLink(page, urgent!).waitFor();
    expect(await ticketRows(page).count()).toBe(2); // the header and the one urgent ticket
    expect(await page.getByRole("tab", { name: /^All/ }).getAttribute("aria-selected")).toBe("true");
    expect(await page.getByRole("searchbox", { name: "Search tickets" }).inputValue()).toBe(word);
    expect(await page.getByRole("combobox", { name: "Priority", exact: true }).inputValue()).toBe("Urgent");
    await context.close();
  });

  it("finds a ticket by a word of its description", async () => {
    const word = uniqueWord("fulltext");
    const [made] = await openTickets(word, ["Export to spreadsheet fails"]);
    const { page, context } = await signedIn("admin@tierline.demo");
    await page.goto("/inbox?view=all");
    await page.getByRole("searchbox", { name: "Search tickets" }).fill(word);
    await page.getByRole("searchbox", { name: "Search tickets" }).press("Enter");
    await page.waitForURL((u) => u.searchParams.get("q") === word);
    await ticketLink(page, made!).waitFor();
    await expect.poll(() => ticketRows(page).count(), { timeout: 15_000 }).toBe(2); // the header and the ticket
    await context.close();
  });

  it("changes the status of the checked tickets only, in one bulk action", async () => {
    const word = uniqueWord("bulk");
    const [a, b, c] = await openTickets(word, ["Bulk one", "Bulk two", "Bulk three"]);
    const { page, context } = await signedIn("admin@tierline.demo");
    await page.goto(`/inbox?view=all&q=${word}`);
    await ticketLink(page, c!).waitFor();
    await page.getByRole("checkbox", { name: `Select ticket #${a!.number}` }).check();
    await page.getByRole("checkbox", { name: `Select ticket #${c!.number}` }).check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await bar.getByText("2 selected").waitFor();
    await choose(page, "Set status", "Pending");
    await page.getByText("Changed 2 tickets").waitFor();
    await bar.waitFor({ state: "detached" });
    const status = async (t: Ticket) => (await adminApi<Ticket>("GET", `/tickets/${t.id}`)).status;
    expect([await status(a!), await status(b!), await status(c!)]).toEqual(["pending", "new", "pending"]);
    // The desktop column's badge (the narrow layout's copy, hidden here, comes first).
    await page.getByRole("row").filter({ has: ticketLink(page, a!) }).getByText("Pending", { exact: true }).last().waitFor();
    await context.close();
  });

  it("moves the selection with j and k and opens the selected ticket with Enter", async () => {
    const word = uniqueWord("keys");
    const [first, second, third] = await openTickets(word, ["Keys first", "Keys second", "Keys third"]);
    const { page, context } = await signedIn("admin@tierline.demo");
    await page.goto(`/inbox?view=all&q=${word}`);
    await ticketLink(page, first!).waitFor();
    // Newest first: third, second, first.
    const selected = async () => Number(new URL(page.url()).searchParams.get("selected"));
    await page.keyboard.press("j");
    await page.waitForURL((u) => u.searchParams.get("selected") === String(third!.number));
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.waitForURL((u) => u.searchParams.get("selected") === String(first!.number));
    await page.keyboard.press("k");
    await page.waitForURL((u) => u.searchParams.get("selected") === String(second!.number));
    expect(await selected()).toBe(second!.number);
    expect(await page.getByRole("row").filter({ has: ticketLink(page, second!) }).getAttribute("aria-current")).toBe("true");
    // The selection is in the URL: a reload keeps it, and Enter opens it.
    await page.reload();
    await ticketLink(page, second!).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === `/tickets/${second!.number}`);
    await context.close();
  });

  it("jumps to a ticket by its number from the command palette", async () => {
    const [made] = await openTickets(uniqueWord("palette"), ["Palette jump target"]);
    const { page, context } = await signedIn("lucas.lead@tierline.demo");
    await page.goto("/inbox");
    await page.getByRole("heading", { name: "Inbox", level: 1 }).waitFor();
    await page.keyboard.press("Control+k");
    const search = page.getByRole("textbox", { name: "Search tickets, screens and commands…" });
    await search.fill(`#${made!.number}`);
    await page.getByRole("button", { name: `Open ticket #${made!.number}` }).waitFor();
    await search.press("Enter");
    await page.waitForURL((u) => u.pathname === `/tickets/${made!.number}`);
    // Screens by name: the board, for a lead.
    await page.keyboard.press("Control+k");
    await search.fill("board");
    await page.getByRole("button", { name: "Board", exact: true }).click();
    await page.waitForURL((u) => u.pathname === "/board");
    await context.close();
  });

  for (const width of [1280, 390]) {
    it(`has no serious accessibility violation at ${width} px`, async () => {
      const word = uniqueWord("axe");
      const [made] = await openTickets(word, ["Accessible inbox row"]);
      const { page, context } = await signedIn("admin@tierline.demo", { width });
      await page.goto(`/inbox?view=all&q=${word}`);
      await ticketLink(page, made!).waitFor();
      await page.getByRole("checkbox", { name: `Select ticket #${made!.number}` }).check();
      await page.getByRole("region", { name: "Bulk actions" }).waitFor();
      expect(JSON.stringify(await seriousA11yViolations(page), null, 1)).toBe("[]");
      await page.goto("/inbox");
      await page.getByRole("tab", { name: /^Mine/ }).waitFor();
      expect(JSON.stringify(await seriousA11yViolations(page), null, 1)).toBe("[]");
      // The table fits the screen: no sideways scrolling of the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await context.close();
    });
  }
});
