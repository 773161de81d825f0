/**
 * The console's page models and actions, shared by the HTML pages and the JSON API. Reads
 * go through queries.ts; retries through the store's own retry and discards through
 * queries.ts (each reopens the report, so the PR's check run is written again); the sync
 * through the CLI's own dry run and apply; every action is audited.
 */

import { errorMessage } from "../delivery/runtime.js";
import type { JobState } from "../delivery/types.js";
import {
  parseSyncTarget,
  previewSync,
  recordSync,
  SyncRefused,
  type SyncRow,
  type SyncTarget,
} from "../handlers/sync-dispatch.js";
import type { ConnectionState } from "../telemetry/connection-health.js";
import { kindOf } from "../trackers/kinds.js";
import type { ConsoleDeps } from "./deps.js";
import * as q from "./queries.js";

const HOUR = 60 * 60_000;
export const JOB_STATES: readonly JobState[] = [
  "pending",
  "running",
  "done",
  "failed",
  "dead",
  "superseded",
  "skipped",
  "discarded",
];

export interface ConnectionView {
  name: string;
  type: string;
  /** Origin only: a path or query could carry something private. */
  origin: string;
  health: ConnectionState;
}

export async function overview(deps: ConsoleDeps) {
  const now = (deps.clock ?? Date.now)();
  const counts = await q.countJobs(deps.store);
  const jobs: Partial<Record<JobState, number>> = {};
  for (const row of counts) jobs[row.state] = (jobs[row.state] ?? 0) + row.n;
  return {
    receivedLastHour: deps.metrics.receivedLastHour(now),
    acknowledgedLastHour: await q.countDeliveriesSince(
      deps.store,
      new Date(now - HOUR).toISOString(),
    ),
    jobs,
    deadLetters: jobs.dead ?? 0,
    failedDeliveries: await q.countFailedDeliveries(deps.store),
    latestErrors: await q.listLatestErrors(deps.store, 10),
    connections: connections(deps),
  };
}

export function connections(deps: ConsoleDeps): ConnectionView[] {
  return deps.config.connections.map((connection) => ({
    name: connection.name,
    type: connection.type,
    origin: originOf(connection.url),
    health: deps.health.get(connection.name),
  }));
}

export type TestResult =
  | { ok: true; connection: string; name: string; login: string | null }
  | { ok: false; connection: string; error: string };

/** Calls the tracker's who-am-I; the answer names the token's user, never the token. */
export async function testConnection(
  deps: ConsoleDeps,
  name: string,
  actor: string,
): Promise<TestResult | null> {
  const tracker = deps.trackers.get(name);
  if (!tracker) return null;
  let result: TestResult;
  try {
    const me = await tracker.whoAmI();
    result = { ok: true, connection: name, name: me.name, login: me.login };
  } catch (error) {
    // TrackerError messages are scrubbed of the token where they are made (trackers/http.ts).
    result = { ok: false, connection: name, error: errorMessage(error) };
  }
  await audit(deps, actor, "test-connection", name, result.ok ? "reachable" : result.error);
  return result;
}

export interface RepositoryView {
  repo: string;
  installation: string;
  config:
    | { state: "valid"; connection: string }
    | { state: "invalid"; errors: string[]; connection: string | null }
    | { state: "missing" }
    | { state: "unreadable"; error: string };
  lastEvent: { at: string; event: string } | null;
}

export async function repositories(deps: ConsoleDeps): Promise<RepositoryView[]> {
  const last = await q.lastEventByRepo(deps.store);
  const views: RepositoryView[] = [];
  for (const installation of await deps.github.installations()) {
    for (const repo of await deps.github.repositories(installation.id)) {
      let config: RepositoryView["config"];
      try {
        const loaded = await deps.github.repoConfig(installation.id, repo);
        config =
          loaded.kind === "valid"
            ? { state: "valid", connection: loaded.connection }
            : loaded.kind === "missing"
              ? { state: "missing" }
              : {
                  state: "invalid",
                  errors: loaded.error.split("\n").filter((line) => line.trim() !== ""),
                  connection: loaded.connection ?? null,
                };
      } catch (error) {
        config = { state: "unreadable", error: errorMessage(error) };
      }
      views.push({
        repo,
        installation: installation.account,
        config,
        lastEvent: last.get(repo.toLowerCase()) ?? null,
      });
    }
  }
  return views;
}

export function parseActivityFilter(query: Record<string, string | undefined>): q.ActivityFilter {
  const filter: q.ActivityFilter = {};
  if (query.repo?.trim()) filter.repo = query.repo.trim();
  const pr = Number(query.pr);
  if (query.pr?.trim() && Number.isInteger(pr)) filter.pr = pr;
  if (query.key?.trim()) filter.key = query.key.trim().toUpperCase();
  if (query.state && (JOB_STATES as readonly string[]).includes(query.state)) {
    filter.state = query.state as JobState;
  }
  return filter;
}

export function activity(deps: ConsoleDeps, filter: q.ActivityFilter) {
  return q.listActivity(deps.store, filter, 200);
}

export async function deadLetters(deps: ConsoleDeps) {
  return {
    jobs: await q.listDeadLetters(deps.store, 500),
    failedDeliveries: await q.listFailedDeliveries(deps.store, 100),
    // Notifications Slack or Telegram refused for good (`trackbridge deliveries retry mID`).
    deadMessages: await deps.store.listMessages({ states: ["dead"], limit: 100 }),
  };
}

export function auditLog(deps: ConsoleDeps) {
  return q.listAudit(deps.store, 200);
}

/** Runs dead letters again; returns the ids that were dead and are pending now. */
export async function retryJobs(deps: ConsoleDeps, ids: readonly number[], actor: string) {
  const now = (deps.clock ?? Date.now)();
  const retried: number[] = [];
  for (const id of ids) if (await deps.store.retryJob(id, now)) retried.push(id);
  if (retried.length > 0) {
    await audit(deps, actor, "retry", retried.map((id) => `job ${id}`).join(", "));
    deps.worker.wake();
  }
  return retried;
}

export async function retryDelivery(deps: ConsoleDeps, id: string, actor: string) {
  const ok = await deps.store.retryDelivery(id, (deps.clock ?? Date.now)());
  if (ok) {
    await audit(deps, actor, "retry", `delivery ${id}`);
    deps.worker.wake();
  }
  return ok;
}

export async function discardJobs(deps: ConsoleDeps, ids: readonly number[], actor: string) {
  const discarded = await q.discardJobs(deps.store, ids, (deps.clock ?? Date.now)(), actor);
  if (discarded.length > 0) {
    await audit(deps, actor, "discard", discarded.map((id) => `job ${id}`).join(", "));
    deps.worker.wake();
  }
  return discarded;
}

export type SyncPreview =
  | { ok: true; repo: string; sinceDays: number; rows: SyncRow[]; moves: number }
  | { ok: false; repo: string; sinceDays: number | null; error: string };

/** The sync's dry run for one repository: the CLI's own (`trackbridge sync --dry-run`). */
export async function syncPreview(
  deps: ConsoleDeps,
  input: { repo: string; since: string },
): Promise<SyncPreview> {
  const target = syncTarget(input);
  if (!target.ok) return { ok: false, repo: input.repo, sinceDays: null, error: target.error };
  const { repo, sinceDays } = target;
  try {
    const rows = await previewSync(target.target, { app: deps.app, trackers: deps.trackers });
    return { ok: true, repo, sinceDays, rows, moves: rows.filter((row) => row.moves).length };
  } catch (error) {
    return { ok: false, repo, sinceDays, error: syncError(deps, repo, error) };
  }
}

export type SyncApplied =
  | { ok: true; repo: string; delivery: string; resumed: boolean }
  | { ok: false; repo: string; error: string };

/** Records the sync's delivery for the worker (as `trackbridge sync` does) and audits who did. */
export async function syncApply(
  deps: ConsoleDeps,
  input: { repo: string; since: string },
  actor: string,
): Promise<SyncApplied> {
  const target = syncTarget(input);
  if (!target.ok) return { ok: false, repo: input.repo, error: target.error };
  const { repo, sinceDays } = target;
  try {
    const recorded = await recordSync(target.target, { app: deps.app, store: deps.store });
    const how = recorded.resumed ? "still running" : `since ${sinceDays}d`;
    await audit(deps, actor, "sync", repo, `${recorded.id} (${how})`);
    deps.worker.wake();
    return { ok: true, repo, delivery: recorded.id, resumed: recorded.resumed };
  } catch (error) {
    return { ok: false, repo, error: syncError(deps, repo, error) };
  }
}

function syncTarget(input: { repo: string; since: string }) {
  try {
    const target: SyncTarget = parseSyncTarget(input.repo, input.since);
    const repo = `${target.owner}/${target.name}`;
    return { ok: true as const, target, repo, sinceDays: target.sinceDays };
  } catch (error) {
    return { ok: false as const, error: errorMessage(error) };
  }
}

/** What the page shows when a sync cannot be previewed or recorded: the reason, never a stack. */
function syncError(deps: ConsoleDeps, repo: string, error: unknown): string {
  const message = errorMessage(error);
  if (!(error instanceof SyncRefused)) deps.log.warn({ repo, err: message }, "sync failed");
  return message;
}

export function audit(
  deps: ConsoleDeps,
  actor: string,
  action: string,
  target: string,
  detail?: string,
) {
  const entry: q.AuditEntry = { at: (deps.clock ?? Date.now)(), actor, action, target };
  if (detail !== undefined) entry.detail = detail;
  return q.appendAudit(deps.store, entry);
}

export function prUrl(deps: ConsoleDeps, repo: string, pr: number): string {
  return `${deps.config.github.webUrl}/${repo}/pull/${pr}`;
}

/** The issue's page in the tracker's web UI (the connection URL is the API's). */
export function issueUrl(deps: ConsoleDeps, connectionName: string, key: string): string | null {
  const connection = deps.config.connections.find((c) => c.name === connectionName);
  return (connection && kindOf(connection.type).issueUrl(connection, key)) ?? null;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "?";
  }
}
