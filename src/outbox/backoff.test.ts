import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./backoff.js";

describe("retry backoff", () => {
  const policy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };

  it("doubles with each failed attempt, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => retryDelayMs(a, policy, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(retryDelayMs(1_000, policy, () => 0)).toBe(60_000);
  });

  it("adds up to the jitter fraction at random", () => {
    expect(retryDelayMs(3, policy, () => 0.5)).toBe(5_000);
    expect(retryDelayMs(3, policy, () => 0.999)).toBeLessThan(6_000);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy)));
    expect(spread.size).toBeGreaterThan(1);
    for (const d of spread) expect(d >= 4_000 && d <= 6_000).toBe(true);
  });
});
