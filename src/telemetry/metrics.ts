/**
 * The Prometheus metrics behind `/metrics`, one registry per server (tests run several in one
 * process). Counters and histograms are fed where things happen (ingest, the tracker HTTP
 * layer, Octokit); job counts and the oldest pending job are read from the store at scrape
 * time, so every replica reports the shared outbox as it is.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { type ConsoleDb, countJobs, oldestPendingJobAt } from "./job-counts.js";

export interface Metrics {
  readonly registry: Registry;
  /** A webhook was answered: `outcome` is stored, duplicate, bad_signature, invalid, too_large or error. */
  observeDelivery(event: string, outcome: string, seconds: number): void;
  /** A tracker answered (`status` is the HTTP code) or did not ("network"). */
  observeTrackerRequest(tracker: string, status: string, seconds: number): void;
  observeGitHubRequest(status: string, rateLimitRemaining: number | undefined): void;
  /** The processing thread's store connection sent these (BEGIN and COMMIT included). */
  observeStoreStatements(statements: number, transactions: number): void;
  /** Webhooks this process answered in the last hour, whatever the outcome. */
  receivedLastHour(now: number): number;
}

const MINUTE = 60_000;

export function createMetrics(db: ConsoleDb, clock: () => number = Date.now): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "trackbridge_" });
  const registers = [registry];

  const deliveries = new Counter({
    name: "trackbridge_webhook_deliveries_total",
    help: "GitHub webhook deliveries answered, by event and outcome",
    labelNames: ["event", "outcome"] as const,
    registers,
  });
  const ackLatency = new Histogram({
    name: "trackbridge_webhook_ack_duration_seconds",
    help: "Time from a webhook's arrival to its answer (the delivery is on disk by then)",
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const trackerLatency = new Histogram({
    name: "trackbridge_tracker_request_duration_seconds",
    help: "Tracker API requests by connection and HTTP status code (network: no answer)",
    labelNames: ["tracker", "status_code"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const githubRequests = new Counter({
    name: "trackbridge_github_api_requests_total",
    help: "GitHub API requests by HTTP status code",
    labelNames: ["status_code"] as const,
    registers,
  });
  const storeStatements = new Counter({
    name: "trackbridge_store_statements_total",
    help: "SQL statements the processing thread sent to the store (BEGIN and COMMIT included)",
    registers,
  });
  const storeTransactions = new Counter({
    name: "trackbridge_store_transactions_total",
    help: "Transactions the processing thread ran on the store (claims, plans, settles)",
    registers,
  });
  const rateLimit = new Gauge({
    name: "trackbridge_github_rate_limit_remaining",
    help: "x-ratelimit-remaining of the latest GitHub API answer",
    registers,
  });
  new Gauge({
    name: "trackbridge_jobs",
    help: "Outbox jobs by state and tracker connection",
    labelNames: ["state", "tracker"] as const,
    registers,
    async collect() {
      this.reset();
      for (const row of await countJobs(db)) {
        this.set({ state: row.state, tracker: row.connection }, row.n);
      }
    },
  });
  new Gauge({
    name: "trackbridge_oldest_pending_job_age_seconds",
    help: "Age of the oldest job waiting to run (0: none waits)",
    registers,
    async collect() {
      const at = await oldestPendingJobAt(db);
      this.set(at === null ? 0 : Math.max(0, (clock() - at) / 1000));
    },
  });

  // Sixty one-minute buckets: the Overview's "last hour" without a query per webhook.
  const buckets = new Map<number, number>();
  const minute = (at: number) => Math.floor(at / MINUTE);

  return {
    registry,
    observeDelivery(event, outcome, seconds) {
      deliveries.inc({ event, outcome });
      ackLatency.observe(seconds);
      const now = minute(clock());
      buckets.set(now, (buckets.get(now) ?? 0) + 1);
      for (const key of buckets.keys()) if (key <= now - 60) buckets.delete(key);
    },
    observeTrackerRequest(tracker, status, seconds) {
      trackerLatency.observe({ tracker, status_code: status }, seconds);
    },
    observeGitHubRequest(status, remaining) {
      githubRequests.inc({ status_code: status });
      if (remaining !== undefined && Number.isFinite(remaining)) rateLimit.set(remaining);
    },
    observeStoreStatements(statements, transactions) {
      storeStatements.inc(statements);
      storeTransactions.inc(transactions);
    },
    receivedLastHour(now) {
      let total = 0;
      for (const [key, count] of buckets) if (key > minute(now) - 60) total += count;
      return total;
    },
  };
}
