/**
 * Everything that works after a webhook is acknowledged, composed in the processing thread
 * (thread-main.ts): the store connection of its own, the Probot whose handlers plan, the
 * outbox worker that runs the plans against the trackers and reports to GitHub, and the two
 * pollers (missed GitHub deliveries, tracker changes). None of it shares the event loop of
 * the HTTP server.
 */

import type { Logger } from "pino";
import type { ServerConfig } from "../config/server-config.js";
import { numberedConnections } from "../core/connection-keys.js";
import { changedStatus, formatNotification } from "../core/notify.js";
import type { StatementCounts } from "../delivery/db.js";
import { openStore } from "../delivery/open-store.js";
import { createWorker, type Worker, type WorkerPolicy } from "../delivery/outbox-worker.js";
import { createRedeliveryPoller } from "../delivery/redeliver.js";
import { TRACKER_EVENT, type TrackerSignal } from "../delivery/tracker-ingest.js";
import { createTrackerPoller } from "../delivery/tracker-poll.js";
import type { DeliveryHooks, JobRecord, PlanSubmission } from "../delivery/types.js";
import { createAppProbot, createTrackers, type RequestMetrics } from "../github/clients.js";
import type { GitHubRateLimits } from "../github/github-rate-limit.js";
import { createGitHubReader } from "../github/github-reader.js";
import { RepoConfigs } from "../github/load-repo-config.js";
import { planIssueSignal } from "../handlers/plan-project-item.js";
import { PlanSink, planWithApp } from "../handlers/plan-sink.js";
import { trackbridgeApp } from "../handlers/probot-app.js";
import { createNotifier, type Notifier } from "../notifiers/notifier.js";
import { CheckRunWrites } from "../reports/check-run-writes.js";
import { mergeReports } from "../reports/merge-reports.js";
import { reportCheckRun } from "../reports/report-check-run.js";
import { reportIssueCheck } from "../reports/report-issue-check.js";
import { writeBackCreated } from "../reports/write-back.js";
import type { ConnectionHealth } from "../telemetry/connection-health.js";
import { applyAction } from "../trackers/apply-action.js";
import { TrackerError } from "../trackers/errors.js";
import { githubKeyConnections, modeOf } from "../trackers/kinds.js";
import { withProductboard } from "./productboard-hooks.js";
import { publicEmailLookup } from "./public-email-lookup.js";
import { withoutSecrets } from "./without-secrets.js";

/** The tuning a caller of `startServer` may pass on to the worker (plain data: it crosses threads). */
export interface ThreadTuning {
  workerPolicy?: Partial<WorkerPolicy>;
  trackerTimeoutMs?: number;
  githubThrottle?: boolean;
  /** Check-run writes for one commit within this window become one write (default 1 s). */
  checkRunWindowMs?: number;
  /** Below this many GitHub requests left in the hour, progress updates wait (default 500). */
  githubReserve?: number;
}

export interface ComposeThreadOptions extends ThreadTuning {
  config: ServerConfig;
  env: Record<string, string | undefined>;
  log: Logger;
  /** Every secret the server holds (`serverSecrets`): blanked from errors and messages. */
  secrets: readonly string[];
  health: ConnectionHealth;
  metrics: RequestMetrics;
  rateLimits: GitHubRateLimits;
  /** See WorkerOptions: the main thread answering a burst of webhooks. */
  yieldTo?: () => boolean;
}

export interface ComposedThread {
  worker: Worker;
  /** What the thread's store connection sent so far (`/metrics`: statements per event). */
  statementCounts(): StatementCounts;
  /** Stops the pollers, lets work in flight finish within `timeoutMs`, closes the store. */
  close(timeoutMs: number): Promise<void>;
}

export async function composeThread(options: ComposeThreadOptions): Promise<ComposedThread> {
  const { config, log, rateLimits, secrets } = options;
  // Not the ingest's fsync (SQLite's synchronous NORMAL, PostgreSQL's synchronous_commit off):
  // after a power cut the worker's last few steps are simply run again, and every action is
  // idempotent.
  // This thread's commits copy the log into the file (checkpoints, every 1,000 pages: 4 MB),
  // so that the delivery writer's, which webhooks wait on, need not (see delivery-writer.ts).
  const store = await openStore(config, { synchronous: "normal", walAutocheckpointPages: 1000 });
  const probot = createAppProbot({ ...options, githubRetry: false });
  const trackers = createTrackers(config, {
    timeoutMs: options.trackerTimeoutMs ?? 10_000,
    health: options.health,
    metrics: options.metrics,
    probot,
  });
  const notifiers = new Map<string, Notifier>(
    config.channels.map((channel) => [
      channel.name,
      createNotifier(channel, { timeoutMs: options.trackerTimeoutMs ?? 10_000, fetch }),
    ]),
  );
  const appId = Number(options.env.APP_ID);
  const sink = new PlanSink();
  const configs = new RepoConfigs({
    connections: [...trackers.keys()],
    channels: [...notifiers.keys()],
    numbered: numberedConnections(config.connections),
    githubKeys: githubKeyConnections(config.connections),
  });
  await probot.load(trackbridgeApp({ appId, configs, sink, memo: store.memo }));
  const issueChangeDeps = {
    trackers,
    store,
    github: createGitHubReader(probot, configs),
    // Webhooks echo a move within seconds; the poll sees it up to one interval later.
    loopWindowMs: Math.max(10 * 60_000, 2 * config.trackerPollMs),
    now: () => Date.now(),
    log: log.child({ name: "tracker-change" }),
    ...(config.productboard
      ? { features: { links: store.ledger, notify: config.productboard.notify } }
      : {}),
  };
  const plan = planWithApp(probot, sink);
  const publicEmailFor = publicEmailLookup(probot, store);
  const hooks: DeliveryHooks = {
    planDelivery: (delivery) =>
      planIssueSignal(delivery, config.connections, issueChangeDeps) ??
      plan(delivery.id, delivery.event, delivery.payload),
    executeAction: (connection, action, job) => {
      const tracker = trackers.get(connection);
      if (!tracker) {
        // Permanent: retrying cannot make a connection appear; the job is a dead letter at once.
        throw new TrackerError(
          "invalid",
          `no tracker connection named "${connection}" on this server`,
          { connection },
        );
      }
      // A release's fix version is created once across replicas: its creates take turns.
      const serializeCreate = <T>(name: string, create: () => Promise<T>) =>
        store.withLease(`fix-version:${connection}:${name}`, create);
      const people = config.connections.find((c) => c.name === connection)?.people;
      const deps = {
        serializeCreate,
        ledger: store.ledger,
        publicEmail: publicEmailFor(job),
        ...(people ? { people } : {}),
      };
      return applyAction(tracker, action, deps).catch((error: unknown) => {
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
            const text = formatNotification(notices, {
              githubUrl: config.github.webUrl,
              // Every secret the server holds, not only this channel's own.
              secrets,
              trackerOf: (name) => {
                const connection = config.connections.find((c) => c.name === name);
                return connection ? modeOf(connection).label : undefined;
              },
            });
            return notifier.send(text);
          },
        }
      : {}),
    report: async (submission, jobs) => {
      if (submission.issueCheck) return writeIssueCheck(submission);
      await checkRuns.request(submission.report, false);
      if (jobs.some((job) => job.action.kind === "create"))
        await writeBackCreated(
          await probot.auth(submission.report.installationId),
          jobs,
          store.memo,
        );
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
      if (!changedStatus(job)) continue;
      const payload: TrackerSignal = { connection: job.connection, key: job.key, origin: "app" };
      const receivedAt = new Date().toISOString();
      const id = `app:${job.connection}:${job.id}`;
      const outcome = await store.recordDelivery({ id, event: TRACKER_EVENT, payload, receivedAt });
      recorded ||= outcome === "new";
    }
    if (recorded) worker.wake(["deliveries"]);
  }
  const worker = createWorker({
    store,
    hooks: withProductboard(hooks, {
      ...{ config, store, trackers, secrets, log: log.child({ name: "productboard" }) },
      timeoutMs: options.trackerTimeoutMs ?? 10_000,
      wake: () => worker.wake(["deliveries"]),
    }),
    log: log.child({ name: "worker" }),
    ...(options.yieldTo ? { yieldTo: options.yieldTo } : {}),
    connectionLimits: new Map(
      config.connections.flatMap(({ name, concurrency }) =>
        concurrency === undefined ? [] : [[name, concurrency] as const],
      ),
    ),
    policy: {
      retentionDays: config.retentionDays || null,
      leaseMs: config.jobLeaseMs,
      ...options.workerPolicy,
    },
  });
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
    onStored: () => worker.wake(["deliveries"]),
    log: log.child({ name: "tracker-poll" }),
  });
  trackerPoller.start();

  return {
    worker,
    statementCounts: () => store.statementCounts(),
    async close(timeoutMs) {
      await poller?.stop();
      await trackerPoller.stop();
      await worker.stop({ timeoutMs });
      await store.close();
    },
  };
}
