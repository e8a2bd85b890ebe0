import { MantineProvider } from "@mantine/core";
import { cleanup, render, screen } from "@testing-library/react";
import dayjs from "dayjs";
import { afterEach, describe, expect, it } from "vitest";
import type { SlaClock } from "../../api/tickets";
import { ClockChip } from "./ClockChips";
import { describeClock, formatDuration, pauseHistory } from "./clock-chip";

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = new Date("2026-03-02T10:00:00Z");

function clock(fields: Partial<SlaClock> = {}): SlaClock {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    ticketId: "00000000-0000-4000-8000-000000000002",
    policyId: "00000000-0000-4000-8000-000000000003",
    metric: "first_response",
    cycle: 1,
    state: "running",
    isPaused: false,
    targetMs: 4 * HOUR,
    elapsedMs: 2 * HOUR,
    businessRemainingMs: 2 * HOUR,
    isOutsideHours: false,
    startedAt: "2026-03-02T08:00:00.000Z",
    dueAt: "2026-03-02T12:00:00.000Z",
    breachedAt: null,
    stoppedAt: null,
    pauses: [],
    ...fields,
  };
}

afterEach(cleanup);

describe("formatDuration", () => {
  it("reads at a glance, whichever the sign", () => {
    expect(formatDuration(30_000)).toBe("less than a minute");
    expect(formatDuration(25 * MIN)).toBe("25 min");
    expect(formatDuration(-25 * MIN)).toBe("25 min");
    expect(formatDuration(2 * HOUR)).toBe("2 h");
    expect(formatDuration(2 * HOUR + 5 * MIN)).toBe("2 h 5 min");
    expect(formatDuration(51 * HOUR)).toBe("2 d 3 h");
    expect(formatDuration(48 * HOUR)).toBe("2 d");
  });
});

describe("describeClock", () => {
  it("shows the metric, the due time in the browser's zone, calendar and business time left", () => {
    const view = describeClock(clock(), "open", NOW);
    const due = `due ${dayjs("2026-03-02T12:00:00.000Z").format("ddd HH:mm")}`;
    expect(due).toMatch(/^due (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d$/);
    expect(view.label).toBe(`First response · ${due} · in 2 h · 2 h business time`);
    expect(view.tone).toBe("running");
    expect(view.pause).toBeNull();
  });

  it("uses the server's business time, which differs from the calendar time overnight", () => {
    const view = describeClock(clock({ dueAt: "2026-03-03T09:30:00.000Z", businessRemainingMs: 30 * MIN, isOutsideHours: true }), "open", new Date("2026-03-02T20:00:00Z"));
    expect(view.calendarLeft).toBe("in 13 h 30 min");
    expect(view.businessLeft).toBe("30 min business time");
    expect(view.pause).toEqual({ kind: "outside_hours" });
    expect(view.label).toContain("paused: outside business hours");
    expect(view.tone).toBe("paused");
  });

  it("is red and negative after a breach", () => {
    const view = describeClock(
      clock({ state: "breached", breachedAt: "2026-03-02T09:35:00.000Z", dueAt: "2026-03-02T09:35:00.000Z", businessRemainingMs: -25 * MIN }),
      "open",
      NOW,
    );
    expect(view.tone).toBe("breached");
    expect(view.calendarLeft).toBe("breached 25 min ago");
    expect(view.businessLeft).toBe("−25 min business time");
  });

  it("counts a clock past its due time as breached even before the engine has marked it", () => {
    const view = describeClock(clock({ dueAt: "2026-03-02T09:59:00.000Z", businessRemainingMs: -MIN }), "open", NOW);
    expect(view.tone).toBe("breached");
    expect(view.calendarLeft).toBe("breached 1 min ago");
  });

  it("names the status that pauses the clock", () => {
    const view = describeClock(clock({ state: "paused", isPaused: true, dueAt: null, pauses: [{ from: "2026-03-02T09:00:00.000Z", to: null }] }), "pending", NOW);
    expect(view.pause).toEqual({ kind: "status", status: "pending" });
    expect(view.due).toBeNull();
    expect(view.label).toBe("First response · 2 h business time · paused: status Pending");
  });

  it("warns when less than a quarter of the target is left, and a met clock shows no time", () => {
    expect(describeClock(clock({ businessRemainingMs: 50 * MIN }), "open", NOW).tone).toBe("soon");
    const met = describeClock(clock({ state: "met", stoppedAt: "2026-03-02T09:00:00.000Z" }), "open", NOW);
    expect(met).toMatchObject({ tone: "done", due: null, businessLeft: null, label: "First response · met" });
  });
});

describe("pauseHistory", () => {
  it("lists the pauses newest first with their length", () => {
    const lines = pauseHistory(
      clock({
        pauses: [
          { from: "2026-03-02T07:00:00.000Z", to: "2026-03-02T08:30:00.000Z" },
          { from: "2026-03-02T09:30:00.000Z", to: null },
        ],
      }),
      NOW,
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^since \w{3} \d\d:\d\d \(30 min\)$/);
    expect(lines[1]).toMatch(/^\w{3} \d\d:\d\d – \w{3} \d\d:\d\d \(1 h 30 min\)$/);
  });
});

describe("ClockChip", () => {
  it("renders the chip's words, with a pause glyph while paused", () => {
    render(
      <MantineProvider>
        <ClockChip clock={clock({ isPaused: true, state: "paused", dueAt: null })} status="on_hold" now={NOW} />
      </MantineProvider>,
    );
    const chip = screen.getByText(/First response/);
    expect(chip.textContent).toContain("paused: status On hold");
    expect(chip.closest("[data-tone]")?.getAttribute("data-tone")).toBe("paused");
    expect(chip.closest("[data-tone]")?.querySelector("[data-glyph=paused]")).not.toBeNull();
  });
});
