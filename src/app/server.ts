/**
 * The composition root of the App: one HTTP server whose webhook route records each
 * delivery durably before answering, a Probot instance whose handlers plan, the outbox
 * worker that runs the plans against the trackers, and the poller that asks GitHub again
 * for deliveries that never reached us.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "pino";
import { createProbot, type Probot, ProbotOctokit } from "probot";
import { SmeeClient } from "smee-client";
import type { ServerConfig } from "../config/server-config.js";
import { ConnectionHealth, instrumentFetch } from "../console/connection-health.js";
import { createHttpApp } from "../console/http-app.js";
import { createMetrics, type Metrics } from "../console/metrics.js";
import { formatNotification } from "../core/notify.js";
import { scrubSecrets } from "../core/scrub-secrets.js";
import { createIngestHandler } from "../delivery/ingest.js";
import { openStore } from "../delivery/open-store.js";
import { createRedeliveryPoller } from "../delivery/redeliver.js";
import type { Store } from "../delivery/store.js";
import {
  createTrackerIngestHandler,
  TRACKER_EVENT,
  type TrackerSignal,
  trackerWebhookConnection,
} from "../delivery/tracker-ingest.js";
import { createTrackerPoller } from "../delivery/tracker-poll.js";
import type { DeliveryHooks, JobRecord, PlanSubmission } from "../delivery/types.js";
import { createWorker, type Worker, type WorkerPolicy } from "../delivery/worker.js";
import { createNotifier, type Notifier } from "../notifiers/notifier.js";
import { applyAction } from "../trackers/apply-action.js";
import { createTracker } from "../trackers/create-tracker.js";
import { TrackerError } from "../trackers/errors.js";
import type { Tracker } from "../trackers/port.js";
import { trackbridgeApp } from "./app.js";
import { CheckRunWrites } from "./check-run-writes.js";
import { conditionalRequests, ResponseCache } from "./conditional-requests.js";
import { consoleGitHub } from "./console-github.js";
import { GitHubRateLimits, watchRateLimit } from "./github-rate-limit.js";
import { createGitHubReader } from "./github-reader.js";
import { mergeReports } from "./merge-reports.js";
import { planIssueChange } from "./plan-issue-change.js";
import { PlanSink, planWithApp } from "./plan-sink.js";
import { reportCheckRun } from "./report-check-run.js";
import { reportIssueCheck } from "./report-issue-check.js";
import { collectSecrets } from "./secrets.js";

export interface StartOptions {
  config: ServerConfig;
  /** Probot reads its own variables from here: APP_ID, PRIVATE_KEY(_PATH), GHE_HOST, GHE_PROTOCOL. */
  env: Record<string, string | undefined>;
  log: Logger;
  workerPolicy?: Partial<WorkerPolicy>;
  trackerTimeoutMs?: number;
  /**
   * Octokit spaces GitHub writes a second apart, as GitHub asks of integrations. Simulators
   * have no secondary rate limit, so tests and benchmarks turn it off to measure the App.
   */
  githubThrottle?: boolean;
  /** Check-run writes for one commit within this window become one write (default 1 s). */
  checkRunWindowMs?: number;
  /** Below this many GitHub requests left in the hour, progress updates wait (default 500). */
  githubReserve?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  probot: Probot;
  store: Store;
  worker: Worker;
  /** What GitHub's x-ratelimit-* headers last said, per installation (for metrics). */
  githubRateLimits: GitHubRateLimits;
  metrics: Metrics;
  /** Stops taking webhooks, lets in-flight jobs finish within `timeoutMs`, closes the store. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, log } = options;
  // Two SQLite connections: a webhook is acknowledged only once its delivery is on disk
  // (synchronous FULL); the worker's bookkeeping skips that wait (NORMAL), because after a
  // power cut its last few steps are simply run again, and every action is idempotent.
  const store = await openStore(config, { synchronous: "normal" });
  const ingestStore = config.databaseUrl ? store : await openStore(config, { synchronous: "full" });
  const metrics = createMetrics(store);
  const health = new ConnectionHealth();

  const rateLimits = new GitHubRateLimits(options.githubReserve);
  const Octokit = ProbotOctokit.plugin(
    conditionalRequests(new ResponseCache()),
    watchRateLimit(rateLimits),
    githubMetrics(metrics),
  );
  const probot = createProbot({
    env: options.env,
    overrides: {
      log: log.child({ name: "probot" }),
      secret: config.webhookSecret,
      Octokit: options.githubThrottle === false ? Octokit.defaults(withoutThrottle) : Octokit,
    },
  });
  const appId = Number(options.env.APP_ID);
  const trackers = new Map<string, Tracker>(
    config.connections.map((connection) => [
      connection.name,
      createTracker(connection, {
        timeoutMs: options.trackerTimeoutMs ?? 10_000,
        fetch: instrumentFetch(connection.name, { health, metrics }),
      }),
    ]),
  );
  const notifiers = new Map<string, Notifier>(
    config.channels.map((channel) => [
      channel.name,
      createNotifier(channel, { timeoutMs: options.trackerTimeoutMs ?? 10_000, fetch }),
    ]),
  );
  // A message is scrubbed of every secret the server holds, not only its channel's own.
  const secrets = collectSecrets(options.env, config.connections, config.channels);
  const sink = new PlanSink();
  const names = { connections: [...trackers.keys()], channels: [...notifiers.keys()] };
  await probot.load(trackbridgeApp({ appId, ...names, sink, memo: store.memo }));
  const issueChangeDeps = {
    trackers,
    store,
    github: createGitHubReader(probot, names),
    // Webhooks echo a move within seconds; the poll sees it up to one interval later.
    loopWindowMs: Math.max(10 * 60_000, 2 * config.trackerPollMs),
    now: () => Date.now(),
    log: log.child({ name: "tracker-change" }),
  };
  const plan = planWithApp(probot, sink);
  const hooks: DeliveryHooks = {
    planDelivery: (delivery) =>
      delivery.event === TRACKER_EVENT
        ? planIssueChange(delivery, issueChangeDeps)
        : plan(delivery.id, delivery.event, delivery.payload),
    executeAction: (connection, action) => {
      const tracker = trackers.get(connection);
      if (!tracker) {
        // Permanent: retrying cannot make a connection appear; the job is a dead letter at once.
        throw new TrackerError(
          "invalid",
          `no tracker connection named "${connection}" on this server`,
          {
            connection,
          },
        );
      }
      return applyAction(tracker, action).catch((error: unknown) => {
        throw withoutSecrets(error, secrets);
      });
    },
    ...(notifiers.size > 0
      ? {
          sendMessage: (channel, notices) => {
            const notifier = notifiers.get(channel);
            if (!notifier) {
              throw new TrackerError("invalid", `no channel named "${channel}" on this server`, {
                connection: channel,
              });
            }
            const text = formatNotification(notices, { githubUrl: config.github.webUrl, secrets });
            return notifier.send(text);
          },
        }
      : {}),
    report: async (submission, jobs) => {
      if (submission.issueCheck) return writeIssueCheck(submission);
      await checkRuns.request(submission.report, false);
      if (submission.mergeGate) await refreshAfterOwnMoves(jobs);
    },
    progress: async (submission) => {
      const { installationId } = submission.report;
      // A progress update can wait; the final report carries the same results.
      if (rateLimits.shouldDefer(installationId, Date.now())) {
        log.info(
          { installationId, ...rateLimits.reading(installationId) },
          "few GitHub requests left this hour: progress update deferred to the final report",
        );
        return;
      }
      await checkRuns.request(submission.report, true);
    },
  };
  /** The commit's one check run, from every report about that commit (issue checks aside). */
  const checkRuns = new CheckRunWrites(
    options.checkRunWindowMs ?? 1_000,
    async ({ repo, headSha, installationId }, inProgress) => {
      const octokit = await probot.auth(installationId);
      const parts = await store.reportsForCommit(repo, headSha);
      const merged = mergeReports(parts.filter((part) => !part.submission.issueCheck));
      await reportCheckRun(octokit, store.memo, merged.submission, merged.jobs, { inProgress });
    },
  );
  /** The newest issue check of a commit wins: an older plan reporting late writes nothing. */
  async function writeIssueCheck(submission: PlanSubmission): Promise<void> {
    const { repo, headSha, installationId } = submission.report;
    const parts = await store.reportsForCommit(repo, headSha);
    const newest = parts.filter((part) => part.submission.issueCheck).at(-1);
    if (newest && newest.submission.deliveryId !== submission.deliveryId) return;
    await reportIssueCheck(await probot.auth(installationId), submission);
  }
  /**
   * The App's own moves change statuses too: each is signalled through the same path as a
   * tracker webhook, so the `trackbridge/issue` checks show it. The webhook the tracker then
   * sends for that move is recognized by the loop guard and starts nothing.
   */
  async function refreshAfterOwnMoves(jobs: readonly JobRecord[]): Promise<void> {
    let recorded = false;
    for (const job of jobs) {
      // Only a move that changed the status: "already in …" and "protected: …" changed nothing.
      if (job.action.kind !== "move" || job.state !== "done" || !job.summary?.startsWith("moved"))
        continue;
      const payload: TrackerSignal = { connection: job.connection, key: job.key, origin: "app" };
      const receivedAt = new Date().toISOString();
      const id = `app:${job.connection}:${job.id}`;
      const outcome = await store.recordDelivery({ id, event: TRACKER_EVENT, payload, receivedAt });
      recorded ||= outcome === "new";
    }
    if (recorded) worker.wake();
  }
  const worker = createWorker({
    store,
    hooks,
    log: log.child({ name: "worker" }),
    policy: {
      retentionDays: config.retentionDays || null,
      leaseMs: config.jobLeaseMs,
      ...options.workerPolicy,
    },
  });

  const ingest = createIngestHandler({
    store: ingestStore,
    secret: config.webhookSecret,
    maxBytes: config.maxPayloadBytes,
    onStored: () => worker.wake(),
    observe: ({ event, outcome, seconds }) => metrics.observeDelivery(event, outcome, seconds),
    log: log.child({ name: "ingest" }),
  });
  // The console, /metrics, /healthz and /readyz: everything but the webhook route.
  const rest = getRequestListener(
    (
      await createHttpApp({
        config,
        store,
        metrics,
        health,
        trackers,
        github: consoleGitHub(probot, names),
        // The console's sync preview plans as the worker does, and commits nothing.
        app: { auth: (id) => probot.auth(id) as never, plan },
        worker,
        log: log.child({ name: "console" }),
      })
    ).fetch,
  );
  const trackerIngest = createTrackerIngestHandler({
    store: ingestStore,
    connections: config.connections,
    maxBytes: config.maxPayloadBytes,
    onStored: () => worker.wake(),
    log: log.child({ name: "tracker-ingest" }),
  });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "POST" && path === config.webhookPath) return void ingest(req, res);
    const connection = trackerWebhookConnection(path);
    if (req.method === "POST" && connection !== null)
      return void trackerIngest(req, res, connection);
    void rest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host ?? "0.0.0.0", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  worker.start();

  const poller =
    config.redeliveryIntervalMs > 0
      ? createRedeliveryPoller({
          store,
          log: log.child({ name: "redelivery" }),
          intervalMs: config.redeliveryIntervalMs,
          listDeliveries: async (cursor) => {
            const octokit = await probot.auth();
            const response = await octokit.request("GET /app/hook/deliveries", {
              per_page: 100,
              ...(cursor ? { cursor } : {}),
            });
            const next = /[?&]cursor=([^&>]+)[^>]*>;\s*rel="next"/.exec(
              response.headers.link ?? "",
            );
            return { deliveries: response.data, nextCursor: next?.[1] ?? null };
          },
          redeliver: async (id) => {
            const octokit = await probot.auth();
            await octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
              delivery_id: Number(id),
            });
          },
        })
      : undefined;
  poller?.start();

  const trackerPoller = createTrackerPoller({
    store,
    trackers,
    intervalMs: config.trackerPollMs,
    onStored: () => worker.wake(),
    log: log.child({ name: "tracker-poll" }),
  });
  trackerPoller.start();

  const smee = config.webhookProxyUrl
    ? new SmeeClient({
        source: config.webhookProxyUrl,
        target: `${url}${config.webhookPath}`,
        logger: log.child({ name: "smee" }),
      })
    : undefined;
  await smee?.start();
  log.info({ url, connections: [...trackers.keys()] }, "trackbridge is listening");

  return {
    url,
    port,
    probot,
    store,
    worker,
    githubRateLimits: rateLimits,
    metrics,
    async close({ timeoutMs = 8_000 } = {}) {
      await smee?.stop();
      await poller?.stop();
      await trackerPoller.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await worker.stop({ timeoutMs });
      await store.close();
      if (ingestStore !== store) await ingestStore.close();
    },
  };
}

/**
 * A tracker's error becomes a job's summary: the check run, the console, a notification. The
 * adapter blanks its own token; this blanks every other secret the server holds (a Slack
 * webhook URL, another connection's token) that a careless tracker might echo.
 */
function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof TrackerError)) return error;
  const message = scrubSecrets(error.message, secrets);
  if (message === error.message) return error;
  return new TrackerError(error.kind, message, {
    connection: error.connection,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}

/** Counts every GitHub API request and keeps the last rate-limit figure, for /metrics. */
function githubMetrics(metrics: Metrics) {
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
function withoutThrottle(options: Record<string, unknown> = {}) {
  return { ...options, throttle: { ...(options.throttle as object), enabled: false } };
}

/** The address a test or the demo should send webhooks to. */
export function webhookUrl(server: Pick<RunningServer, "url">, config: ServerConfig): string {
  return `${server.url}${config.webhookPath}`;
}

export type { Server };
