/**
 * What GitHub says is left of each installation's hourly limit, read from the
 * `x-ratelimit-remaining` / `x-ratelimit-reset` headers of every answer (errors included).
 * Writes that can wait (the in-progress check run while a tracker is retried) are deferred
 * when little is left, so the requests that matter (final reports) still have room.
 */
import type { Octokit } from "@octokit/core";

export interface RateLimitReading {
  remaining: number;
  /** Epoch milliseconds. */
  resetAt: number;
}

export class GitHubRateLimits {
  readonly #byInstallation = new Map<number, RateLimitReading>();
  readonly #onReading: ((installationId: number, reading: RateLimitReading) => void) | undefined;

  /**
   * `reserve`: below this many requests left, progress updates wait for the reset.
   * `onReading`: told every new reading (the processing thread sends them to the main thread's copy).
   */
  constructor(
    readonly reserve = 500,
    onReading?: (installationId: number, reading: RateLimitReading) => void,
  ) {
    this.#onReading = onReading;
  }

  observe(installationId: number, headers: Record<string, unknown>): void {
    const remaining = Number(headers["x-ratelimit-remaining"]);
    const reset = Number(headers["x-ratelimit-reset"]);
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    this.set(installationId, { remaining, resetAt: reset * 1000 });
  }

  set(installationId: number, reading: RateLimitReading): void {
    this.#byInstallation.set(installationId, reading);
    this.#onReading?.(installationId, reading);
  }

  reading(installationId: number): RateLimitReading | undefined {
    return this.#byInstallation.get(installationId);
  }

  /** True when an update that can wait should wait (little left and the hour not reset yet). */
  shouldDefer(installationId: number, now: number): boolean {
    const reading = this.#byInstallation.get(installationId);
    return reading !== undefined && reading.remaining < this.reserve && now < reading.resetAt;
  }

  /** Every installation's last reading, for metrics. */
  readings(): Array<RateLimitReading & { installationId: number }> {
    return [...this.#byInstallation].map(([installationId, r]) => ({ installationId, ...r }));
  }
}

/** An Octokit plugin that feeds `limits` from every answer an installation's Octokit gets. */
export function watchRateLimit(limits: GitHubRateLimits) {
  return (octokit: Octokit, options: { auth?: { installationId?: number | string } }) => {
    const installationId = Number(options.auth?.installationId);
    if (!Number.isFinite(installationId)) return;
    octokit.hook.wrap("request", async (request, requestOptions) => {
      try {
        const response = await request(requestOptions);
        limits.observe(installationId, response.headers);
        return response;
      } catch (error) {
        const headers = (error as { response?: { headers?: Record<string, unknown> } }).response
          ?.headers;
        if (headers) limits.observe(installationId, headers);
        throw error;
      }
    });
  };
}
