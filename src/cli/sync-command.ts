/**
 * `trackbridge sync --repo owner/name [--since 14d] [--dry-run]`: brings the issues of the
 * pull requests that are already open in line with each PR's state now. It runs the App's own
 * sync handler: the dry run collects its plans and prints them beside each issue's status; the
 * real run records a `repository_dispatch` (`trackbridge.sync`) delivery in the server's store
 * and works it off with the App's worker, so moves go through the outbox, never backwards,
 * are reported on each PR's check run, and an interrupted run resumes where it stopped.
 */
import { createProbot } from "probot";
import { trackbridgeApp } from "../app/app.js";
import { createLogger } from "../app/logger.js";
import { PlanSink } from "../app/plan-sink.js";
import { collectSecrets } from "../app/secrets.js";
import { type RunningServer, startServer } from "../app/server.js";
import { SYNC_EVENT_TYPE } from "../app/sync-repository.js";
import { loadServerConfig } from "../config/server-config.js";
import { statusMatches } from "../core/match-status.js";
import { neverBackwards } from "../core/never-backwards.js";
import { openSqliteStore } from "../delivery/open-store.js";
import type { PlanSubmission } from "../delivery/types.js";
import { createTracker } from "../trackers/create-tracker.js";
import { CliError } from "./io.js";
import { renderProgress, renderSyncTable, type SyncRow } from "./sync-output.js";

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
  since: string;
  dryRun?: boolean;
}

/** Runs one sync; resolves when every move has settled (or, dry, when the table is printed). */
export async function runSync(flags: SyncFlags, deps: SyncDeps): Promise<void> {
  const [owner, name, extra] = flags.repo.split("/");
  if (!owner || !name || extra !== undefined) {
    throw new CliError(`--repo must be owner/name, got "${flags.repo}"`);
  }
  const sinceMatch = /^(\d+)d?$/.exec(flags.since);
  if (!sinceMatch)
    throw new CliError(`--since must be a number of days such as 14d, got "${flags.since}"`);
  const sinceDays = Number(sinceMatch[1]);
  const config = loadServerConfig(deps.env);
  const log = createLogger({
    level: deps.env.LOG_LEVEL || "warn",
    secrets: collectSecrets(deps.env, config.connections),
    destination: process.stderr,
  });
  if (flags.dryRun) return dryRun({ owner, name, sinceDays }, deps, config, log);

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
    await apply({ owner, name, sinceDays }, deps, server);
  } finally {
    await server.close();
  }
}

type Target = { owner: string; name: string; sinceDays: number };

/** The `repository_dispatch` payload GitHub would send for `trackbridge.sync`. */
async function dispatchPayload(
  auth: () => Promise<{ request: (route: string, params: object) => Promise<{ data: unknown }> }>,
  target: Target,
) {
  const app = await auth();
  const installation = await app
    .request("GET /repos/{owner}/{repo}/installation", { owner: target.owner, repo: target.name })
    .catch(() => {
      throw new CliError(`the App is not installed on ${target.owner}/${target.name}`);
    });
  const installationId = (installation.data as { id: number }).id;
  const octokit = await (auth as (id?: number) => ReturnType<typeof auth>)(installationId);
  const { data: repository } = await octokit.request("GET /repos/{owner}/{repo}", {
    owner: target.owner,
    repo: target.name,
  });
  return {
    action: SYNC_EVENT_TYPE,
    branch: (repository as { default_branch?: string }).default_branch,
    client_payload: { since_days: target.sinceDays },
    repository,
    installation: { id: installationId },
    sender: { login: "trackbridge", type: "Bot" },
  };
}

async function apply(target: Target, deps: SyncDeps, server: RunningServer): Promise<void> {
  const prefix = `sync:${target.owner}/${target.name}:`;
  const unfinished = (await server.store.listDeliveries({ limit: 100 })).find(
    (d) =>
      d.id.startsWith(prefix) &&
      (d.state === "received" || (d.jobs.pending ?? 0) + (d.jobs.running ?? 0) > 0),
  );
  let id: string;
  if (unfinished) {
    id = unfinished.id;
    deps.write(`resuming ${id}\n`);
  } else {
    id = `${prefix}${Date.now()}`;
    const payload = await dispatchPayload(
      (installation?: number) => server.probot.auth(installation) as never,
      target,
    );
    await server.store.recordDelivery({
      id,
      event: "repository_dispatch",
      payload,
      receivedAt: new Date().toISOString(),
    });
  }
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

async function dryRun(
  target: Target,
  deps: SyncDeps,
  config: ReturnType<typeof loadServerConfig>,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const probot = createProbot({ env: deps.env, overrides: { log } });
  const sink = new PlanSink();
  const connections = config.connections.map((c) => c.name);
  const channels = config.channels.map((c) => c.name);
  // A dry run writes nothing: its memo (PR text read once) lives in a throwaway database.
  const scratch = await openSqliteStore({ path: ":memory:" });
  const submissions = await (async () => {
    const app = {
      appId: Number(deps.env.APP_ID),
      connections,
      channels,
      sink,
      memo: scratch.memo,
    };
    await probot.load(trackbridgeApp(app));
    const payload = await dispatchPayload(
      (installation?: number) => probot.auth(installation) as never,
      target,
    );
    const id = `sync-dry-run:${target.owner}/${target.name}`;
    return sink.collect(id, () =>
      probot.receive({ id, name: "repository_dispatch", payload } as never),
    );
  })().finally(() => scratch.close());
  const rows = await describeMoves(submissions, config);
  deps.write(renderSyncTable(rows));
}

/** One row per planned move, with the issue's status now: nothing is written. */
async function describeMoves(
  submissions: PlanSubmission[],
  config: ReturnType<typeof loadServerConfig>,
): Promise<SyncRow[]> {
  const rows: SyncRow[] = [];
  for (const submission of submissions) {
    const connection = config.connections.find((c) => c.name === submission.connection);
    if (!connection) throw new CliError(`no tracker connection named "${submission.connection}"`);
    const tracker = createTracker(connection, { timeoutMs: 10_000 });
    for (const action of submission.plan.actions) {
      if (action.kind !== "move") continue;
      const issue = await tracker.getIssue(action.key).catch((error: unknown) => error as Error);
      const pr = `#${submission.prNumber}`;
      const why = action.trigger.replace("_", " ");
      if (issue instanceof Error) {
        rows.push({ pr, key: action.key, current: "?", target: action.target, why: issue.message });
      } else if (statusMatches(issue.status, action.target)) {
        rows.push({
          pr,
          key: action.key,
          current: issue.status.display,
          target: "(stays)",
          why: `${why}: already there`,
        });
      } else if (
        action.protect.some((s) => statusMatches(issue.status, s)) ||
        // The rule the worker applies, so the preview says what the real run will do.
        !neverBackwards({
          current: issue.status,
          target: action.target,
          trigger: action.trigger,
          statuses: action.statuses ?? {},
          reopen: action.reopen ?? false,
        }).move
      ) {
        rows.push({
          pr,
          key: action.key,
          current: issue.status.display,
          target: "(stays)",
          why: `${why}: never backwards`,
        });
      } else {
        rows.push({
          pr,
          key: action.key,
          current: issue.status.display,
          target: action.target,
          why,
        });
      }
    }
  }
  return rows;
}
