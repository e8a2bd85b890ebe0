import { randomUUID } from "node:crypto";
import dayjs from "dayjs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { adminApi, seriousA11yViolations, signedIn } from "./support/browser";

// Each test makes its own uniquely named items and removes what could change other tests' tickets.
const unique = () => randomUUID().slice(0, 8);

type Team = { id: string; name: string; levelId: string };
type Agent = { id: string; email: string; name: string; teamIds: string[]; languages: string[]; capacity: number };
type Page_<T> = { data: T[]; nextCursor: string | null };

/** Picks an option of a Mantine Select or MultiSelect by the field's label and the option's text. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole("combobox", { name: label, exact: true }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** The admin's browser at an admin page, once its heading shows. */
async function adminAt(path: string, heading: string, width?: number) {
  const visitor = await signedIn("admin@tierline.demo", width ? { width } : {});
  await visitor.page.goto(path);
  await visitor.page.getByRole("heading", { level: 1, name: heading }).waitFor();
  return visitor;
}

describe("the admin screens", () => {
  it("let an admin create a team and then an agent in it through the forms", async () => {
    const { page, context } = await adminAt("/admin/teams", "Teams");
    const teamName = `Warranty ${unique()}`;
    await page.getByRole("button", { name: "New team" }).click();
    const dialog = page.getByRole("dialog", { name: "New team" });
    await dialog.getByRole("textbox", { name: "Name" }).fill(teamName);
    await choose(page, "Level", "L2 Specialists");
    await choose(page, "Kind", "Specialist");
    await dialog.getByRole("combobox", { name: "Categories owned" }).fill("warranty");
    await dialog.getByRole("combobox", { name: "Categories owned" }).press("Enter");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.waitFor({ state: "detached" });
    const row = page.getByRole("table", { name: "Teams" }).getByRole("row").filter({ hasText: teamName });
    await row.waitFor();
    expect(await row.textContent()).toContain("L2 Specialists");
    expect(await row.textContent()).toContain("warranty");
    const team = (await adminApi<Page_<Team>>("GET", "/teams?limit=200")).data.find((x) => x.name === teamName);
    expect(team).toBeDefined();

    await page.getByRole("navigation", { name: "Admin pages" }).getByRole("link", { name: "Agents" }).click();
    await page.getByRole("heading", { level: 1, name: "Agents" }).waitFor();
    const email = `wanda.${unique()}@tierline.demo`;
    await page.getByRole("button", { name: "New agent" }).click();
    const agentDialog = page.getByRole("dialog", { name: "New agent" });
    await agentDialog.getByRole("textbox", { name: "Email" }).fill(email);
    await agentDialog.getByRole("textbox", { name: "Name" }).fill("Wanda Warranty");
    await choose(page, "Role", "Lead");
    await choose(page, "Teams", teamName);
    await agentDialog.getByRole("textbox", { name: "Capacity" }).fill("7");
    await agentDialog.getByRole("button", { name: "Save" }).click();
    await agentDialog.waitFor({ state: "detached" });
    await page.getByRole("table", { name: "Agents" }).getByRole("row").filter({ hasText: email }).waitFor();
    const agent = (await adminApi<Page_<Agent>>("GET", "/agents?limit=200")).data.find((a) => a.email === email);
    expect(agent).toMatchObject({ name: "Wanda Warranty", role: "lead", teamIds: [team!.id], capacity: 7 });
    await context.close();
  });

  it("shows the server's validation error on the field it is about, and saves nothing", async () => {
    const { page, context } = await adminAt("/admin/agents?selected=new", "Agents");
    const dialog = page.getByRole("dialog", { name: "New agent" });
    const email = `short.${unique()}@tierline.demo`;
    await dialog.getByRole("textbox", { name: "Email" }).fill(email);
    await dialog.getByRole("textbox", { name: "Name" }).fill("Short Password");
    await dialog.getByRole("textbox", { name: "Password" }).fill("short");
    await dialog.getByRole("button", { name: "Save" }).click();
    const password = dialog.getByRole("textbox", { name: "Password" });
    // Mantine ties a field's error to it through aria-describedby (`<id>-error`).
    await expect.poll(async () => (await password.getAttribute("aria-describedby")) ?? "").toContain("-error");
    const describedBy = (await password.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(" ").find((id) => id.includes("error"));
    expect(errorId, "the error is tied to the password field").toBeDefined();
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toContain("at least 10 characters");
    expect((await dialog.getByRole("textbox", { name: "Email" }).getAttribute("aria-describedby")) ?? "", "no error on the email").not.toContain("-error");
    const agents = (await adminApi<Page_<Agent>>("GET", "/agents?limit=200")).data;
    expect(agents.find((a) => a.email === email)).toBeUndefined();
    await context.close();
  });

  it("previews when working time on a calendar is due", async () => {
    // Open Monday to Friday 09:00–17:00 UTC: 4 h of working time is worked out by the server's calendar.
    const hours = Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "17:00"]]]));
    const calendar = await adminApi<{ id: string }>("POST", "/calendars", { name: `Office ${unique()}`, timezone: "UTC", hours });
    const { page, context } = await adminAt(`/admin/calendars?selected=${calendar.id}`, "Calendars");
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: "Hours of working time" }).fill("4");
    const before = new Date();
    await dialog.getByRole("button", { name: "Show due time" }).click();
    const result = dialog.getByText(/h of working time from now is due/);
    await result.waitFor();
    const after = new Date();
    // What the API says for the same moments, shown in the browser's zone as the screen shows it.
    const due = async (at: Date) =>
      (await adminApi<{ due: string }>("GET", `/calendars/${calendar.id}/due?start=${encodeURIComponent(at.toISOString())}&duration=PT4H`)).due;
    const expected = new Set([dayjs(await due(before)).format("ddd HH:mm"), dayjs(await due(after)).format("ddd HH:mm")]);
    const text = (await result.textContent()) ?? "";
    expect(text).toMatch(/^4 h of working time from now is due \w{3} \d{2}:\d{2}/);
    expect([...expected].some((e) => text.includes(`due ${e}`)), `${text} is one of ${[...expected].join(", ")}`).toBe(true);
    // The answer lies inside the calendar's opening hours (UTC, weekdays, 09:00–17:00].
    const dueAt = dayjs(await due(before));
    expect(dueAt.toDate().getUTCDay()).toBeGreaterThanOrEqual(1);
    expect(dueAt.toDate().getUTCDay()).toBeLessThanOrEqual(5);
    await context.close();
  });

  it("dry-runs the rules against a ticket by number and says what they would do", async () => {
    const word = `gizmo${unique()}`;
    const ruleName = `Gizmo tagging ${unique()}`;
    const rule = await adminApi<{ id: string }>("POST", "/escalation-rules", {
      name: ruleName,
      position: 1,
      // Only on a customer's message, so opening the ticket below does not fire it for real.
      triggers: ["message.received"],
      conditions: [{ field: "text", op: "contains_any", value: [word] }],
      actions: [{ type: "add_tags", tags: ["gizmo"] }, { type: "set_priority", priority: "high" }],
    });
    try {
      const ticket = await adminApi<{ id: string; number: number }>("POST", "/tickets", {
        subject: `Broken ${word}`,
        description: `My ${word} stopped working.`,
        channel: "email",
        customer: { email: `gizmo.${unique()}@customer.test`, name: "Gina Gizmo" },
      });
      const { page, context } = await adminAt("/admin/rules", "Escalation rules");
      const section = page.getByRole("region", { name: "Dry run on a ticket" });
      await section.getByRole("textbox", { name: "Ticket number" }).fill(String(ticket.number));
      await choose(page, "Trigger", "Message received");
      await section.getByRole("button", { name: "Run dry run" }).click();
      const result = section.getByRole("region", { name: "Dry run result" });
      await result.waitFor();
      const text = (await result.textContent()) ?? "";
      expect(text).toContain(`#${ticket.number} Broken ${word}`);
      expect(text).toContain(ruleName);
      expect(text).toContain("Add the tags gizmo");
      expect(text).toContain("Set the priority to high");

      // On another trigger the rule would not fire; and nothing was written to the ticket.
      await choose(page, "Trigger", "Ticket created");
      await section.getByRole("button", { name: "Run dry run" }).click();
      await expect.poll(async () => (await result.textContent()) ?? "").not.toContain(ruleName);
      const after = await adminApi<{ tags: string[]; priority: string }>("GET", `/tickets/${ticket.id}`);
      expect(after.tags).not.toContain("gizmo");
      expect(after.priority).not.toBe("high");

      // A ticket that does not exist is said so, on the number's field.
      await section.getByRole("textbox", { name: "Ticket number" }).fill("999999999");
      await section.getByRole("button", { name: "Run dry run" }).click();
      await section.getByRole("alert").filter({ hasText: "999999999" }).waitFor();
      await context.close();
    } finally {
      await adminApi("DELETE", `/escalation-rules/${rule.id}`);
    }
  });

  it("previews an email template's draft rendered with example values, without saving it", async () => {
    const { page, context } = await adminAt("/admin/templates", "Email templates");
    const templates = await adminApi<Page_<{ key: string; subject: string; placeholders: string[]; isCustomised: boolean }>>("GET", "/email-templates?limit=200");
    const template = templates.data.find((x) => x.placeholders.some((p) => p.includes("ticketNumber") || p.includes("number"))) ?? templates.data[0]!;
    await page.getByRole("button", { name: `Edit ${template.key}` }).click();
    const dialog = page.getByRole("dialog");
    const placeholder = template.placeholders[0]!.replace(/^\{\{|\}\}$/g, "");
    const marker = `Draft ${unique()}`;
    await dialog.getByRole("textbox", { name: "Subject" }).fill(`${marker} {{${placeholder}}}`);
    await dialog.getByRole("button", { name: "Preview" }).click();
    const preview = dialog.getByRole("region", { name: "Preview with example values" });
    await preview.waitFor();
    const text = (await preview.textContent()) ?? "";
    expect(text).toContain(marker);
    expect(text, "the placeholder is filled in").not.toContain(`{{${placeholder}}}`);
    await expect.poll(() => preview.locator("iframe[title='HTML preview']").count()).toBe(1);
    // An unknown placeholder is refused on the subject field.
    await dialog.getByRole("textbox", { name: "Subject" }).fill("Hello {{noSuchPlaceholder}}");
    await dialog.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => dialog.getByRole("textbox", { name: "Subject" }).getAttribute("aria-invalid")).toBe("true");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    const saved = await adminApi<{ subject: string }>("GET", `/email-templates/${template.key}`);
    expect(saved.subject).toBe(template.subject);
    await context.close();
  });

  it("refuses a non-admin clearly, and does not offer them the Admin navigation", async () => {
    const { page, context } = await signedIn("lucas.lead@tierline.demo");
    await page.goto("/inbox");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Inbox" }).waitFor();
    expect(await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Admin" }).count()).toBe(0);
    for (const path of ["/admin", "/admin/rules?selected=x", "/admin/webhooks"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: "Admins only" }).waitFor();
      expect(await page.getByRole("table").count()).toBe(0);
    }
    await context.close();
  });

  it("has no serious accessibility violations on any admin page, and none at phone width on two", async () => {
    const { page, context } = await signedIn("admin@tierline.demo");
    const pages: [string, string][] = [
      ["/admin", "Administration"],
      ["/admin/levels", "Levels"],
      ["/admin/teams", "Teams"],
      ["/admin/agents", "Agents"],
      ["/admin/calendars", "Calendars"],
      ["/admin/sla", "SLA policies"],
      ["/admin/rules", "Escalation rules"],
      ["/admin/webhooks", "Webhooks"],
      ["/admin/mailboxes", "Mailboxes"],
      ["/admin/templates", "Email templates"],
      ["/admin/settings", "Settings"],
    ];
    for (const [path, heading] of pages) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      expect(JSON.stringify(await seriousA11yViolations(page), null, 1), path).toBe("[]");
    }
    // A form open, too: the SLA policy form is the largest.
    await page.goto("/admin/sla?selected=new");
    await page.getByRole("dialog", { name: "New SLA policy" }).waitFor();
    expect(JSON.stringify(await seriousA11yViolations(page), null, 1), "SLA form").toBe("[]");
    await context.close();

    for (const [path, heading] of [["/admin/agents", "Agents"], ["/admin/rules", "Escalation rules"]] as const) {
      const phone = await adminAt(path, heading, 390);
      expect(JSON.stringify(await seriousA11yViolations(phone.page), null, 1), `${path} at 390 px`).toBe("[]");
      // The page itself does not scroll sideways: wide tables scroll inside their own container.
      const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} at 390 px scrolls sideways`).toBeLessThanOrEqual(1);
      await phone.context.close();
    }
  });
});
