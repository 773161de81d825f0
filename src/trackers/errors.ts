/**
 * Typed tracker errors and the one classifier that decides whether a failed call is worth
 * retrying. Messages are written for the people on the PR: they name the connection and
 * the key, never a token.
 */
import type { HeaderReader } from "../http/send.js";

export type TrackerErrorKind =
  | "auth" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "invalid" // 400, 409, 412, 422, 423
  | "no_transition" // no transition leads to the target status
  | "rate_limited" // 429
  | "server" // 5xx
  | "network"; // connection refused, reset, timeout

const RETRYABLE: ReadonlySet<TrackerErrorKind> = new Set(["rate_limited", "server", "network"]);

export class TrackerError extends Error {
  override readonly name = "TrackerError";
  readonly kind: TrackerErrorKind;
  readonly connection: string;
  readonly status: number | undefined;
  /** How long the tracker asked us to wait (Retry-After, rate-limit reset), if it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: TrackerErrorKind,
    message: string,
    details: {
      connection: string;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.kind = kind;
    this.connection = details.connection;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

/** Any thrown value is retryable unless it is a permanent `TrackerError`. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TrackerError) return error.retryable;
  // Probot reports handler failures together: retry if any of them is worth retrying.
  if (error instanceof AggregateError)
    return error.errors.length === 0 || error.errors.some(isRetryable);
  // An HTTP error from another API (GitHub's, through Octokit): 4xx other than rate limits is permanent.
  const { status, message } = (error ?? {}) as { status?: unknown; message?: unknown };
  if (typeof status === "number" && status >= 400 && status < 500) {
    return status === 429 || (status === 403 && /rate limit/i.test(String(message)));
  }
  return true;
}

export function kindForStatus(status: number): TrackerErrorKind {
  if (status === 401) return "auth";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "invalid";
}

/**
 * Reads how long to wait from `Retry-After` (seconds or an HTTP date) or, failing that,
 * `X-RateLimit-Reset` (ISO timestamp on Jira Cloud, epoch seconds elsewhere).
 */
export function retryAfterMs(headers: HeaderReader, now: number): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset");
  if (reset) {
    const epoch = Number(reset);
    const at = Number.isFinite(epoch) ? epoch * 1000 : Date.parse(reset);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  return undefined;
}
