/**
 * `trackbridge sync --repo owner/name [--since 14d] [--dry-run]`: brings the issues of the
 * pull requests that are already open in line with each PR's state now. The dry run and the
 * apply are the console's too (src/handlers/sync-dispatch.ts): the dry run prints each planned
 * move beside the status; the real run records a `repository_dispatch`
 * (`trackbridge.sync`) delivery in the server's store and works it off with the App's worker,
 * so moves go through the outbox, never backwards, are reported on each PR's check run, and
 * an interrupted run resumes where it stopped.
 */

import { createProbot } from "probot";
import { loadServerConfig } from "../config/server-config.js";
import { numberedConnections } from "../core/connection-keys.js";
import { openSqliteStore } from "../delivery/open-store.js";
import { RepoConfigs } from "../github/load-repo-config.js";
import { PlanSink, planWithApp } from "../handlers/plan-sink.js";
import { trackbridgeApp } from "../handlers/probot-app.js";
import {
  parseSyncTarget,
  previewSync,
  recordSync,
  type SyncApp,
  SyncRefused,
  type SyncTarget,
} from "../handlers/sync-dispatch.js";
import { type RunningServer, startServer } from "../server/server.js";
import { createLogger } from "../telemetry/logger.js";
import { serverSecrets } from "../telemetry/secrets.js";
import { createTracker } from "../trackers/create-tracker.js";
import { githubKeyConnections } from "../trackers/kinds.js";
import { CliError } from "./io.js";
import { renderProgress, renderSyncTable } from "./sync-output.js";

export interface SyncDeps {
  env: Record<string, string | undefined>;
  write(text: string): void;
  /** A terminal gets a progress bar; a pipe gets one line at the end. */
  isTTY: boolean;
  /** Tests and the demo talk to simulators, which have no secondary rate limit. */
  githubThrottle?: boolean;
}

export interface SyncFlags {
  repo: string;
  /** Days (`14` or `14d`); DEFAULT_SYNC_DAYS when not given. */
  since?: string;
  dryRun?: boolean;
}

/** Runs one sync; resolves when every move has settled (or, dry, when the table is printed). */
export async function runSync(flags: SyncFlags, deps: SyncDeps): Promise<void> {
  try {
    await runSyncOrRefuse(flags, deps);
  } catch (error) {
    if (error instanceof SyncRefused) throw new CliError(error.message);
    throw error;
  }
}

async function runSyncOrRefuse(flags: SyncFlags, deps: SyncDeps): Promise<void> {
  const target = parseSyncTarget(flags.repo, flags.since);
  const config = loadServerConfig(deps.env);
  const log = createLogger({
    level: deps.env.LOG_LEVEL || "warn",
    secrets: serverSecrets(deps.env, config),
    destination: process.stderr,
  });
  if (flags.dryRun) return dryRun(target, deps, config, log);

  const server = await startServer({
    config: {
      ...config,
      port: 0,
      host: "127.0.0.1",
      redeliveryIntervalMs: 0,
      webhookProxyUrl: undefined,
    },
    env: deps.env,
    log,
    ...(deps.githubThrottle === false ? { githubThrottle: false } : {}),
  });
  try {
    await apply(target, deps, server);
  } finally {
    await server.close();
  }
}

async function apply(target: SyncTarget, deps: SyncDeps, server: RunningServer): Promise<void> {
  const app = { auth: (installation?: number) => server.probot.auth(installation) as never };
  const { id, resumed } = await recordSync(target, { app, store: server.store });
  if (resumed) deps.write(`resuming ${id}\n`);
  server.worker.wake();
  let finished = false;
  const drained = server.worker.drain().finally(() => {
    finished = true;
  });
  while (!finished) {
    if (deps.isTTY) deps.write(renderProgress(await jobCounts(server, id)));
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 250))]);
  }
  await drained;
  const counts = await jobCounts(server, id);
  if (deps.isTTY) deps.write(`${renderProgress(counts)}\n`);
  const delivery = (await server.store.listDeliveries({ limit: 100 })).find((d) => d.id === id);
  if (delivery?.state === "failed")
    throw new CliError(`the sync failed: ${delivery.error ?? "unknown error"}`);
  const parts = Object.entries(counts).map(([state, n]) => `${n} ${state}`);
  deps.write(`synced ${target.owner}/${target.name}: ${parts.join(", ") || "nothing to do"}\n`);
}

async function jobCounts(server: RunningServer, id: string): Promise<Record<string, number>> {
  const delivery = (await server.store.listDeliveries({ limit: 100 })).find((d) => d.id === id);
  return { ...(delivery?.jobs ?? {}) } as Record<string, number>;
}

/** Without a server: a throwaway Probot plans the sync, the trackers are read, nothing is written. */
async function dryRun(
  target: SyncTarget,
  deps: SyncDeps,
  config: ReturnType<typeof loadServerConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const probot = createProbot({ env: deps.env, overrides: { log } });
  const sink = new PlanSink();
  const configs = new RepoConfigs({
    connections: config.connections.map((c) => c.name),
    channels: config.channels.map((c) => c.name),
    numbered: numberedConnections(config.connections),
    githubKeys: githubKeyConnections(config.connections),
  });
  // The handlers need a memo; the sync reads none, and a dry run writes nothing: a throwaway one.
  const scratch = await openSqliteStore({ path: ":memory:" });
  try {
    await probot.load(
      trackbridgeApp({
        appId: Number(deps.env.APP_ID),
        configs,
        sink,
        memo: scratch.memo,
      }),
    );
    const app: SyncApp = {
      auth: (installation) => probot.auth(installation) as never,
      plan: planWithApp(probot, sink),
    };
    const trackers = new Map(
      config.connections.map((c) => [c.name, createTracker(c, { timeoutMs: 10_000 })]),
    );
    deps.write(renderSyncTable(await previewSync(target, { app, trackers })));
  } finally {
    await scratch.close();
  }
}
