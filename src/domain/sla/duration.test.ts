import { describe, expect, it } from "vitest";
import { isoDurationMs } from "./duration.js";

describe("isoDurationMs", () => {
  it("reads hours, minutes, seconds and days", () => {
    expect(isoDurationMs("PT2S")).toBe(2_000);
    expect(isoDurationMs("PT1H30M")).toBe(5_400_000);
    expect(isoDurationMs("P1DT12H")).toBe(36 * 3_600_000);
    expect(isoDurationMs("PT0S")).toBe(0);
    expect(isoDurationMs("P1W")).toBe(7 * 86_400_000);
    expect(isoDurationMs("PT1,5S")).toBe(1_500);
    expect(isoDurationMs("PT0.1H")).toBe(360_000);
    expect(isoDurationMs("PT-1H")).toBe(-3_600_000);
  });
  it("refuses what is not a duration, and months or years", () => {
    expect(isoDurationMs("2 hours")).toBeNull();
    expect(isoDurationMs("P1M")).toBeNull();
    expect(isoDurationMs("P1Y")).toBeNull();
    expect(isoDurationMs("")).toBeNull();
  });
  it("keeps a fraction of a millisecond instead of cutting it off, so it can be refused", () => {
    expect(isoDurationMs("PT0.001S")).toBe(1);
    expect(isoDurationMs("PT0.0001S")).toBe(0.1);
    expect(isoDurationMs("PT0.0015S")).toBe(1.5);
    expect(isoDurationMs("PT1.0001S")).toBeCloseTo(1_000.1);
    expect(isoDurationMs("PT0.00000001H")).toBeCloseTo(0.036);
    expect(isoDurationMs("PT1.230000S")).toBe(1_230);
  });
});
