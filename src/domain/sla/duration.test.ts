import { describe, expect, it } from "vitest";
import { isoDurationMs } from "./duration.js";

describe("isoDurationMs", () => {
  it("reads hours, minutes, seconds and days", () => {
    expect(isoDurationMs("PT2S")).toBe(2_000);
    expect(isoDurationMs("PT1H30M")).toBe(5_400_000);
    expect(isoDurationMs("P1DT12H")).toBe(36 * 3_600_000);
    expect(isoDurationMs("PT0S")).toBe(0);
  });
  it("refuses what is not a duration, and months or years", () => {
    expect(isoDurationMs("2 hours")).toBeNull();
    expect(isoDurationMs("P1M")).toBeNull();
    expect(isoDurationMs("P1Y")).toBeNull();
    expect(isoDurationMs("")).toBeNull();
  });
});
