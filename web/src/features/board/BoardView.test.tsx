import { MantineProvider } from "@mantine/core";
import { act, cleanup, render, screen, within } from "@testing-library/react";
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from "@tanstack/react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Board } from "../../api/board";
import { BoardView } from "./BoardPage";
import { formatAge, formatCountdown, serverNow } from "./time";

const FRONTLINE = "00000000-0000-4000-8000-000000000001";
const L1 = "00000000-0000-4000-8000-000000000002";
const NOW = Date.parse("2026-12-02T10:00:00Z");

function boardAt(generatedAt: number, patch: Partial<Board> = {}): Board {
  return {
    generatedAt: new Date(generatedAt).toISOString(),
    since: "2026-12-02T00:00:00.000Z",
    timeZone: "UTC",
    allTeams: false,
    levels: [{ id: L1, name: "L1", rank: 1 }],
    teams: [{ id: FRONTLINE, name: "Frontline", levelId: L1 }],
    escalations: {
      total: 1,
      unacknowledged: 1,
      byTeam: [{ teamId: FRONTLINE, levelId: L1, open: 1, unacknowledged: 1 }],
      items: [
        {
          id: "00000000-0000-4000-8000-000000000010",
          ticketId: "00000000-0000-4000-8000-000000000011",
          ticketNumber: 1200,
          subject: "Printer on fire",
          priority: "high",
          kind: "hierarchical",
          status: "open",
          toLevelId: L1,
          toTeamId: FRONTLINE,
          requestedAt: new Date(generatedAt - 5 * 60_000).toISOString(),
          acknowledgedAt: null,
        },
      ],
    },
    breachingSoon: {
      horizonMinutes: 60,
      total: 1,
      byTeam: [{ teamId: FRONTLINE, count: 1 }],
      items: [
        {
          clockId: "00000000-0000-4000-8000-000000000020",
          ticketId: "00000000-0000-4000-8000-000000000021",
          ticketNumber: 1201,
          subject: "Refund still missing",
          priority: "normal",
          teamId: FRONTLINE,
          metric: "first_response",
          dueAt: new Date(generatedAt + 5_000).toISOString(),
        },
      ],
    },
    breachesToday: { total: 0, byTeam: [], items: [] },
    queues: [{ teamId: FRONTLINE, levelId: L1, open: 7, unassigned: 2 }],
    agents: {
      total: 1,
      items: [{ id: "00000000-0000-4000-8000-000000000030", name: "Ava", role: "agent", availability: "away", assigned: 12, capacity: 10, teamIds: [FRONTLINE] }],
    },
    ...patch,
  };
}

async function renderBoard(board: Board, receivedAt: number) {
  const rootRoute = createRootRoute({ component: () => <BoardView board={board} receivedAt={receivedAt} /> });
  const router = createRouter({ routeTree: rootRoute, history: createMemoryHistory({ initialEntries: ["/board"] }) });
  await act(async () => {
    render(
      <MantineProvider>
        <RouterProvider router={router} />
      </MantineProvider>,
    );
  });
}

describe("the board's clocks", () => {
  it("says ages coarser as they grow and counts down as a clock face", () => {
    expect(formatAge(42_000)).toBe("42 s");
    expect(formatAge(12 * 60_000 + 59_000)).toBe("12 min");
    expect(formatAge(65 * 60_000)).toBe("1 h 05 min");
    expect(formatAge(51 * 3600_000)).toBe("2 d 3 h");
    expect(formatCountdown(272_400)).toBe("4:33");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
    expect(formatCountdown(-5)).toBe("0:00");
  });

  it("takes the server's now from the answer, not the browser's clock", () => {
    // The browser runs 90 s fast: 10 s after the answer arrived, the server is at generatedAt + 10 s.
    expect(serverNow("2026-12-02T10:00:00.000Z", NOW + 90_000, NOW + 100_000)).toBe(NOW + 10_000);
  });
});

describe("BoardView", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout", "Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it("names each tile as a region, highlights an unacknowledged escalation and ages it every second", async () => {
    await renderBoard(boardAt(NOW), NOW);
    for (const name of ["Open escalations", "Breaching in the next hour", "Breaches today", "Queues", "Agents"]) {
      expect(screen.getByRole("region", { name })).toBeTruthy();
    }
    const escalations = screen.getByRole("region", { name: "Open escalations" });
    expect(within(escalations).getByRole("link", { name: "#1200 Printer on fire" }).getAttribute("href")).toBe("/tickets/1200");
    expect(within(escalations).getByText("Unacknowledged for 5 min")).toBeTruthy();
    await act(async () => {
      vi.advanceTimersByTime(61_000);
    });
    expect(within(escalations).getByText("Unacknowledged for 6 min")).toBeTruthy();
    expect(within(escalations).getByRole("link", { name: "Open escalations in the inbox" }).getAttribute("href")).toBe("/inbox?view=escalated");
    expect(within(escalations).getByRole("link", { name: /^Frontline:/ }).getAttribute("href")).toBe(`/inbox?view=escalated&teamId=${FRONTLINE}`);
  });

  it("counts down to a due time, then says it passed without claiming a breach the server has not recorded", async () => {
    await renderBoard(boardAt(NOW), NOW);
    const soon = screen.getByRole("region", { name: "Breaching in the next hour" });
    expect(within(soon).getByText("breaches in 0:05")).toBeTruthy();
    await act(async () => {
      vi.advanceTimersByTime(3_000);
    });
    expect(within(soon).getByText("breaches in 0:02")).toBeTruthy();
    await act(async () => {
      vi.advanceTimersByTime(3_000);
    });
    expect(within(soon).getByText("due time passed · waiting for the breach to be recorded")).toBeTruthy();
    const today = screen.getByRole("region", { name: "Breaches today" });
    expect(within(today).queryByRole("link", { name: /#1201/ })).toBeNull();
    expect(within(today).getByText("No breaches today.")).toBeTruthy();
    expect(within(today).getByRole("link", { name: "Breaches today in the inbox" }).getAttribute("href")).toBe("/inbox?view=all&overdue=true");
  });

  it("shows queue depth with links to the team's list, and an agent over capacity who is away", async () => {
    await renderBoard(boardAt(NOW), NOW);
    const queues = screen.getByRole("table", { name: "Queues" });
    const row = within(queues).getByRole("row", { name: /Frontline/ });
    expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual(["Frontline", "L1", "7", "2"]);
    expect(within(row).getByRole("link", { name: "Frontline" }).getAttribute("href")).toBe(`/inbox?view=all&teamId=${FRONTLINE}`);
    const agents = screen.getByRole("table", { name: "Agents" });
    expect(within(agents).getByText("Away")).toBeTruthy();
    expect(within(agents).getByText("12 of 10 · over capacity")).toBeTruthy();
    expect(within(agents).getByRole("progressbar", { name: "Ava: 12 of 10 open tickets" })).toBeTruthy();
  });
});
