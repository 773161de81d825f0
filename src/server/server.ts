/**
 * The composition root of the App: one HTTP server whose webhook route records each
 * delivery durably before answering, and the console, /metrics and health next to it. The
 * work after the answer (Probot's handlers that plan, the outbox worker that runs the plans
 * against the trackers and reports, the pollers) runs in a processing thread (thread-host.ts), so
 * it never holds up an answer.
 */

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Logger } from "pino";
import type { Probot } from "probot";
import { SmeeClient } from "smee-client";
import type { ServerConfig } from "../config/server-config.js";
import { createHttpApp } from "../console/http-app.js";
import { numberedConnections } from "../core/connection-keys.js";
import { startDeliveryWriter } from "../delivery/delivery-writer.js";
import { createIngestHandler } from "../delivery/ingest.js";
import { openStore } from "../delivery/open-store.js";
import type { Store } from "../delivery/store.js";
import {
  createTrackerIngestHandler,
  trackerWebhookConnection,
} from "../delivery/tracker-ingest.js";
import { createAppProbot, createTrackers } from "../github/clients.js";
import { GitHubRateLimits } from "../github/github-rate-limit.js";
import { RepoConfigs } from "../github/load-repo-config.js";
import { PlanSink, planWithApp } from "../handlers/plan-sink.js";
import { trackbridgeApp } from "../handlers/probot-app.js";
import { ConnectionHealth } from "../telemetry/connection-health.js";
import { createMetrics, type Metrics } from "../telemetry/metrics.js";
import type { ThreadTuning } from "../thread/compose-thread.js";
import { startProcessingThread, type ThreadHost } from "../thread/thread-host.js";
import { WebhooksInFlight } from "../thread/webhooks-in-flight.js";
import { githubKeyConnections } from "../trackers/kinds.js";
import { consoleGitHub } from "./console-github.js";
import {
  createProductboardPluginHandler,
  PRODUCTBOARD_PLUGIN_PATH,
} from "./productboard-plugin.js";

export interface StartOptions extends ThreadTuning {
  config: ServerConfig;
  /** Probot reads its own variables from here: APP_ID, PRIVATE_KEY(_PATH), GHE_HOST, GHE_PROTOCOL. */
  env: Record<string, string | undefined>;
  log: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  /** This thread's Probot (the console, `sync`, the sync preview); the processing thread has its own. */
  probot: Probot;
  store: Store;
  worker: ThreadHost;
  /** What GitHub's x-ratelimit-* headers last said, per installation (for metrics). */
  githubRateLimits: GitHubRateLimits;
  metrics: Metrics;
  /** Stops taking webhooks, lets in-flight jobs finish within `timeoutMs`, closes the store. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, log } = options;
  const health = new ConnectionHealth();
  const rateLimits = new GitHubRateLimits(options.githubReserve);
  // A webhook is acknowledged only once its delivery is on disk (synchronous FULL); the
  // processing thread opens a connection of its own, after this one has migrated the schema.
  const store = await openStore(config, { synchronous: "full" });
  // On SQLite, deliveries are committed on a thread of their own: the disk never holds up
  // this thread (PostgreSQL's driver is asynchronous already).
  const writer = config.databaseUrl
    ? undefined
    : startDeliveryWriter({ path: config.databasePath, log: log.child({ name: "ingest" }) });
  const deliveries = writer ?? store;
  const metrics = createMetrics(store);
  const tuning: ThreadTuning = {
    workerPolicy: options.workerPolicy,
    trackerTimeoutMs: options.trackerTimeoutMs,
    githubThrottle: options.githubThrottle,
    checkRunWindowMs: options.checkRunWindowMs,
    githubReserve: options.githubReserve,
  };
  // The processing thread gives way while this thread answers a burst of webhooks.
  const webhooks = new WebhooksInFlight();
  // Started before the rest: its start-up (loading its own modules) overlaps this thread's.
  const worker = startProcessingThread({
    data: { config, env: options.env, tuning, webhooksInFlight: webhooks.buffer },
    log,
    metrics,
    health,
    rateLimits,
  });

  const probot = createAppProbot({
    env: options.env,
    config,
    log,
    rateLimits,
    metrics,
    githubThrottle: options.githubThrottle,
  });
  const trackers = createTrackers(config, {
    timeoutMs: options.trackerTimeoutMs ?? 10_000,
    health,
    metrics,
    probot,
  });
  // The console's sync preview plans as the worker does (and commits nothing): this thread's
  // Probot has the App's handlers too.
  const configs = new RepoConfigs({
    connections: [...trackers.keys()],
    channels: config.channels.map((channel) => channel.name),
    numbered: numberedConnections(config.connections),
    githubKeys: githubKeyConnections(config.connections),
  });
  const sink = new PlanSink();
  await probot.load(
    trackbridgeApp({ appId: Number(options.env.APP_ID), configs, sink, memo: store.memo }),
  );
  const plan = planWithApp(probot, sink);
  const ingest = createIngestHandler({
    store: deliveries,
    secret: config.webhookSecret,
    maxBytes: config.maxPayloadBytes,
    onStored: () => worker.wake(["deliveries"]),
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
        github: consoleGitHub(probot, configs),
        app: { auth: (id) => probot.auth(id) as never, plan },
        worker,
        log: log.child({ name: "console" }),
      })
    ).fetch,
  );
  const trackerIngest = createTrackerIngestHandler({
    store: deliveries,
    connections: config.connections,
    maxBytes: config.maxPayloadBytes,
    onStored: () => worker.wake(["deliveries"]),
    log: log.child({ name: "tracker-ingest" }),
  });
  const productboard = config.productboard
    ? createProductboardPluginHandler({
        store: deliveries,
        authorization: config.productboard.authorization,
        maxBytes: config.maxPayloadBytes,
        onStored: () => worker.wake(["deliveries"]),
        log: log.child({ name: "productboard" }),
      })
    : undefined;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (productboard && path === PRODUCTBOARD_PLUGIN_PATH) {
      // A push is answered like a webhook: the processing thread gives way while it is.
      webhooks.track(res);
      return productboard(req, res);
    }
    if (req.method === "POST" && path === config.webhookPath) {
      webhooks.track(res);
      return void ingest(req, res);
    }
    const connection = trackerWebhookConnection(path);
    if (req.method === "POST" && connection !== null) {
      webhooks.track(res);
      return void trackerIngest(req, res, connection);
    }
    void rest(req, res);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host ?? "0.0.0.0", () => resolve());
    });
    await worker.started;
  } catch (error) {
    // A port in use or a thread that cannot start: nothing may keep working the outbox.
    await worker.stop({ timeoutMs: 0 }).catch(() => {});
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await writer?.close();
    await store.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

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
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await writer?.close();
      await worker.stop({ timeoutMs });
      await store.close();
    },
  };
}

/** The address a test or the demo should send webhooks to. */
export function webhookUrl(server: Pick<RunningServer, "url">, config: ServerConfig): string {
  return `${server.url}${config.webhookPath}`;
}

export type { Server };
