/**
 * When to try a failed job (or planning, or report) again, and when to give up.
 * Exponential backoff with full jitter spreads retries of many jobs that failed together
 * (a tracker outage) instead of sending them back in one burst when it recovers.
 */

export interface RetryPolicy {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No computed wait exceeds this (a tracker's own Retry-After may). */
  capMs: number;
  /** Attempts before a job becomes a dead letter. */
  maxAttempts: number;
  /** Age (from creation, or from a manual retry) after which a failing job becomes a dead letter. */
  maxAgeMs: number;
  /** Returns a number in [0, 1); injectable so tests can pin the jitter. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 1_000,
  capMs: 5 * 60_000,
  maxAttempts: 8,
  maxAgeMs: 24 * 60 * 60_000,
  random: Math.random,
};

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, ...overrides };
}

/**
 * How long to wait after the `attempt`-th failed attempt (1-based). A tracker that said how
 * long to wait (Retry-After, rate-limit reset) is believed when it asks for longer.
 *
 * @example
 * backoffMs(retryPolicy({ random: () => 0.5 }), 3) // 2_000: half of min(cap, 1 s × 2²)
 * backoffMs(retryPolicy(), 1, 30_000)               // 30_000: the tracker asked for 30 s
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jittered = Math.floor(policy.random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** Whether a failure at `now` ends the retries: too many attempts, or too old. */
export function shouldGiveUp(
  policy: RetryPolicy,
  attempts: number,
  startedAt: number,
  now: number,
): boolean {
  return attempts >= policy.maxAttempts || now - startedAt >= policy.maxAgeMs;
}
