import { describe, expect, it } from "vitest";
import type { Resolution } from "../../api/resolutions";
import { escalateBody } from "./EscalateDialog";
import { handoverSummary, HANDOVER_MESSAGES, trimQuote } from "./handover";
import { resolutionState } from "./ResolutionsPanel";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();
const message = (kind: "public" | "internal" | "customer", body: string, minute: number) => ({ kind, body, createdAt: at(minute) });

describe("the handover summary an escalation starts with", () => {
  it("quotes the latest internal notes and public replies, not the customer's messages, and says what the customer needs", () => {
    const text = handoverSummary({ subject: "Invoice charged twice" }, [
      message("customer", "You charged me twice!", 0),
      message("internal", "Checked the invoice: two identical charges.", 5),
      message("public", "We are looking into it.", 6),
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("The customer needs: Invoice charged twice");
    expect(lines.filter((l) => l.startsWith("- "))).toEqual([
      expect.stringMatching(/^- Internal note, .+: Checked the invoice: two identical charges\.$/),
      expect.stringMatching(/^- Reply to the customer, .+: We are looking into it\.$/),
    ]);
    expect(text).not.toContain("You charged me twice");
    expect(lines.at(-1)).toBe("What I need from you: ");
  });

  it("keeps only the latest few, each on one trimmed line", () => {
    const many = Array.from({ length: 7 }, (_, i) => message("internal", `Note ${i}\n\n  with   spaces`, i));
    const quoted = handoverSummary({ subject: "S" }, many).split("\n").filter((l) => l.startsWith("- "));
    expect(quoted).toHaveLength(HANDOVER_MESSAGES);
    expect(quoted[0]).toMatch(/Note 3 with spaces$/);
    expect(quoted.at(-1)).toMatch(/Note 6 with spaces$/);
  });

  it("says when nothing was tried yet", () => {
    expect(handoverSummary({ subject: "S" }, [message("customer", "Help", 0)])).toContain("- Nothing yet.");
  });

  it("cuts a long quote at a word, with an ellipsis", () => {
    const long = "word ".repeat(100);
    const cut = trimQuote(long, 50);
    expect(cut.length).toBeLessThanOrEqual(51);
    expect(cut.endsWith("word…")).toBe(true);
    expect(trimQuote("short")).toBe("short");
  });
});

describe("the escalate form's body", () => {
  it("leaves out the empty choices (next level, anyone in the team)", () => {
    expect(escalateBody({ kind: "hierarchical", toTeamId: "", toAgentId: "", reason: "complaint", note: "A long enough note" })).toEqual({
      kind: "hierarchical",
      reason: "complaint",
      note: "A long enough note",
    });
    expect(escalateBody({ kind: "functional", toTeamId: "t", toAgentId: "a", reason: "needs_expertise", note: "n" })).toMatchObject({ toTeamId: "t", toAgentId: "a" });
  });
});

describe("a resolution's state in words", () => {
  const base = { id: "r", ticketId: "t", type: "refund", amount: 200, currency: "EUR", note: "n", requestedById: "ava", createdAt: at(0), appliedAt: null } as const;
  const approval = (status: "pending" | "approved" | "denied", reason: string | null = null) =>
    ({ id: "a", ticketId: "t", resolutionId: "r", approverId: "lucas", status, reason, requestedAt: at(0), decidedAt: null, dueAt: null, grantedBefore: null }) as const;
  const name = (id: string) => (id === "lucas" ? "Lucas Moreno" : id);

  it("names the approver it waits for, or who decided", () => {
    expect(resolutionState({ ...base, status: "pending_approval", approval: approval("pending") } as Resolution, name).text).toBe("Waiting for approval by Lucas Moreno");
    expect(resolutionState({ ...base, status: "applied", approval: approval("approved") } as Resolution, name).text).toBe("Approved by Lucas Moreno, applied");
    expect(resolutionState({ ...base, status: "denied", approval: approval("denied", "Not covered") } as Resolution, name).text).toBe("Denied by Lucas Moreno: Not covered");
    expect(resolutionState({ ...base, status: "applied", approval: null } as Resolution, name).text).toBe("Applied");
  });
});
