import dayjs from "dayjs";
import { describe, expect, it } from "vitest";
import { describeDue, formatAgo, formatSpan } from "./sla-due";

const MINUTE = 60_000;
const now = Date.parse("2026-12-07T09:00:00Z"); // a Monday

describe("SLA due in the inbox", () => {
  it("says spans as people do", () => {
    expect(formatSpan(30 * 1000)).toBe("1 min");
    expect(formatSpan(45 * MINUTE)).toBe("45 min");
    expect(formatSpan(60 * MINUTE)).toBe("1 h");
    expect(formatSpan(200 * MINUTE)).toBe("3 h 20 min");
    expect(formatSpan(119.9 * MINUTE)).toBe("2 h");
    expect(formatSpan(52 * 60 * MINUTE)).toBe("2 d 4 h");
    expect(formatSpan(-45 * MINUTE)).toBe("45 min");
  });

  it("gives the due time in the browser's zone and the time left, soon within the hour", () => {
    const due = new Date(now + 30 * MINUTE).toISOString();
    expect(describeDue(due, now)).toEqual({ due: `due ${dayjs(due).format("ddd HH:mm")}`, left: "30 min left", tone: "soon" });
    expect(describeDue(new Date(now + 3 * 60 * MINUTE).toISOString(), now)).toMatchObject({ left: "3 h left", tone: "later" });
  });

  it("says how long ago a clock breached", () => {
    expect(describeDue(new Date(now - 90 * MINUTE).toISOString(), now)).toMatchObject({ left: "breached 1 h 30 min ago", tone: "breached" });
    expect(describeDue(new Date(now).toISOString(), now).tone).toBe("breached");
  });

  it("says when a ticket changed", () => {
    expect(formatAgo(new Date(now - 10_000).toISOString(), now)).toBe("just now");
    expect(formatAgo(new Date(now - 5 * MINUTE).toISOString(), now)).toBe("5 min ago");
    expect(formatAgo("2026-11-02T12:00:00Z", now)).toBe("2 Nov 2026");
  });
});
