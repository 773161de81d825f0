/**
 * Retries one tracker operation while the tracker is rate-limiting (429), failing (5xx) or
 * unreachable, within a deadline shared by the whole run — a deploy pipeline must not hang
 * for an hour on a tracker outage. A tracker's own Retry-After is honoured when it fits in
 * the time left; otherwise the Action gives up at once and says why.
 */
import pRetry from "p-retry";
import { TrackerError } from "../trackers/errors.js";

export interface RetryBudget {
  /** When retrying stops, on the `now()` clock. */
  deadline: number;
  /** Total budget, for messages. */
  totalMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Tells the person in the log why the step is waiting. */
  log: (message: string) => void;
  /** First backoff wait when the tracker did not say how long to wait. */
  minDelayMs?: number;
  maxAttempts?: number;
}

/** Retries ran out; `cause` is the last error, still a `TrackerError` when it was one. */
export class RetriesExhaustedError extends Error {
  override readonly name = "RetriesExhaustedError";
  readonly attempts: number;

  constructor(cause: Error, attempts: number, why: string) {
    super(`${cause.message} (${why})`, { cause });
    this.attempts = attempts;
  }
}

/**
 * Only what the tracker said is transient. The adapters wrap every HTTP and network failure
 * in a `TrackerError`, so anything else is a bug, and retrying it would only delay the
 * failure by the whole budget.
 */
function isRetryable(error: unknown): boolean {
  return error instanceof TrackerError && error.retryable;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function retryAfterOf(error: unknown): number | undefined {
  return error instanceof TrackerError ? error.retryAfterMs : undefined;
}

/**
 * Runs `operation`, retrying retryable failures until it succeeds, fails permanently, or the
 * budget runs out.
 *
 * @example
 * await withRetry(() => applyAction(tracker, action), { deadline: now() + 60_000, ... })
 */
export async function withRetry<T>(
  operation: () => Promise<T>,
  budget: RetryBudget,
  label: string,
): Promise<T> {
  const started = budget.now();
  const maxAttempts = budget.maxAttempts ?? 20;
  let attempts = 0;
  const remaining = () => budget.deadline - budget.now();
  const tries = () => `${attempts} attempt${attempts === 1 ? "" : "s"}`;
  const spent = () =>
    `gave up after ${tries()} in ${seconds(budget.now() - started)}; retry-timeout is ${seconds(budget.totalMs)}`;

  try {
    return await pRetry(
      async () => {
        attempts += 1;
        try {
          return await operation();
        } catch (error) {
          // p-retry would turn a thrown string into "Non-error was thrown: …"; keep its text.
          throw error instanceof Error ? error : new Error(String(error));
        }
      },
      {
        retries: maxAttempts - 1,
        minTimeout: budget.minDelayMs ?? 1_000,
        maxTimeout: 15_000,
        factor: 2,
        randomize: true,
        maxRetryTime: Math.max(0, remaining()),
        shouldRetry: ({ error }) => isRetryable(error),
        // A wait the tracker asked for replaces the backoff instead of adding to it.
        shouldConsumeRetry: ({ error }) => retryAfterOf(error) === undefined,
        onFailedAttempt: async ({ error }) => {
          if (!isRetryable(error)) return;
          if (remaining() <= 0) throw new RetriesExhaustedError(error, attempts, spent());
          if (attempts >= maxAttempts) {
            throw new RetriesExhaustedError(error, attempts, `gave up after ${tries()}`);
          }
          const wait = retryAfterOf(error);
          if (wait === undefined) {
            budget.log(`${label}: ${error.message}; retrying with backoff`);
            return;
          }
          if (wait > remaining()) {
            throw new RetriesExhaustedError(
              error,
              attempts,
              `the tracker asked to wait ${seconds(wait)}, more than the ${seconds(Math.max(0, remaining()))} left of the ${seconds(budget.totalMs)} retry-timeout`,
            );
          }
          budget.log(
            `${label}: ${error.message}; retrying in ${seconds(wait)} as the tracker asked`,
          );
          await budget.sleep(wait);
        },
      },
    );
  } catch (error) {
    // p-retry stopped on its own (its copy of the deadline, or the attempt count).
    if (error instanceof RetriesExhaustedError || !isRetryable(error)) throw error;
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new RetriesExhaustedError(cause, attempts, spent());
  }
}
