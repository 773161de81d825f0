/**
 * The App's clients, made the same way in the main thread (the console, `sync`) and in the
 * processing thread (handlers, reports, pollers): a Probot whose Octokit counts requests and
 * reads rate limits, and one tracker client per connection whose requests feed the connection's
 * health and the request timings. Each thread makes its own; the processing thread's observers
 * send what they see to the main thread's /metrics and console.
 */
import type { Logger } from "pino";
import { createProbot, type Probot, ProbotOctokit } from "probot";
import type { ServerConfig } from "../config/server-config.js";
import { octokitFetch } from "../http/octokit-fetch.js";
import { type ConnectionHealth, instrumentSend } from "../telemetry/connection-health.js";
import type { Metrics } from "../telemetry/metrics.js";
import { createTracker } from "../trackers/create-tracker.js";
import type { Tracker } from "../trackers/port.js";
import { conditionalRequests, ResponseCache } from "./conditional-requests.js";
import { type GitHubRateLimits, watchRateLimit } from "./github-rate-limit.js";
import { installationGraphql } from "./installation-graphql.js";
import { InstallationOctokits } from "./installation-octokits.js";

export type RequestMetrics = Pick<Metrics, "observeTrackerRequest" | "observeGitHubRequest">;

export function createAppProbot(options: {
  env: Record<string, string | undefined>;
  config: ServerConfig;
  log: Logger;
  rateLimits: GitHubRateLimits;
  metrics: RequestMetrics;
  /** false: no write spacing (simulators have no secondary rate limit). */
  githubThrottle?: boolean;
  /**
   * false: a failed GitHub request fails its step at once. The processing thread's steps are
   * retried by the worker, with backoff, from the store, so Octokit's own retries there were
   * a second layer, and plugin-retry schedules every request through a Bottleneck limiter of
   * its own: ~3 ms of CPU per event at 50 events/s (bench/github-send.ts, the sustained part).
   */
  githubRetry?: boolean;
}): Probot {
  const installations = new InstallationOctokits();
  const Octokit = ProbotOctokit.plugin(
    installations.plugin,
    conditionalRequests(new ResponseCache()),
    watchRateLimit(options.rateLimits),
    githubMetrics(options.metrics),
  );
  const probot = createProbot({
    env: options.env,
    overrides: {
      log: options.log.child({ name: "probot" }),
      secret: options.config.webhookSecret,
      // Probot hands it to every Octokit it makes and to the app auth's token requests.
      request: { fetch: octokitFetch },
      Octokit: Octokit.defaults(
        limits({ throttle: options.githubThrottle ?? true, retry: options.githubRetry ?? true }),
      ),
    },
  });
  // Every event goes through here (the worker's plans, the console's previews): what it
  // borrowed is given back when it is handled.
  const receive = probot.receive.bind(probot);
  probot.receive = (event) => installations.handle(event.id, () => receive(event));
  return probot;
}

export function createTrackers(
  config: ServerConfig,
  deps: {
    timeoutMs: number;
    health: ConnectionHealth;
    metrics: RequestMetrics;
    /** The App: GitHub Projects connections act as its installation on the project's organization. */
    probot: Pick<Probot, "auth">;
  },
): Map<string, Tracker> {
  const github = installationGraphql(deps.probot, config.github.apiUrl);
  return new Map(
    config.connections.map((connection) => [
      connection.name,
      createTracker(connection, {
        timeoutMs: deps.timeoutMs,
        send: instrumentSend(connection.name, deps),
        github,
      }),
    ]),
  );
}

/** Counts every GitHub API request and keeps the last rate-limit figure, for /metrics. */
function githubMetrics(metrics: RequestMetrics) {
  type Headers = Record<string, string | number | undefined>;
  const remaining = (headers: Headers | undefined) => {
    const value = headers?.["x-ratelimit-remaining"];
    return value === undefined ? undefined : Number(value);
  };
  return (octokit: Pick<InstanceType<typeof ProbotOctokit>, "hook">) => {
    octokit.hook.wrap("request", async (request, options) => {
      try {
        const response = await request(options);
        metrics.observeGitHubRequest(String(response.status), remaining(response.headers));
        return response;
      } catch (error) {
        const failed = error as { status?: number; response?: { headers?: Headers } };
        const status = failed.status === undefined ? "network" : String(failed.status);
        metrics.observeGitHubRequest(status, remaining(failed.response?.headers));
        throw error;
      }
    });
  };
}

// A function, not an object: Probot passes `throttle: { enabled: true }` to every instance it makes.
function limits(enabled: { throttle: boolean; retry: boolean }) {
  return (options: Record<string, unknown> = {}) => ({
    ...options,
    ...(enabled.throttle ? {} : { throttle: { ...(options.throttle as object), enabled: false } }),
    ...(enabled.retry ? {} : { retry: { ...(options.retry as object), enabled: false } }),
  });
}
