/** How long a failed delivery waits before its next attempt. */
export type BackoffPolicy = {
  /** The wait after the first failed attempt; each further failure doubles it. */
  baseMs: number;
  /** The longest wait, however many attempts failed. */
  maxMs: number;
  /** Up to this fraction of the wait is added at random, so receivers that failed together are not retried together. */
  jitter: number;
};

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 6 * 3_600_000, jitter: 0.25 };

/**
 * The wait before the next attempt after `attempts` failed ones (1 after the first): exponential, capped,
 * plus jitter. `random` returns a number in [0, 1).
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 30);
  const wait = Math.min(policy.baseMs * 2 ** exponent, policy.maxMs);
  return Math.round(wait * (1 + policy.jitter * random()));
}
