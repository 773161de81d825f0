/**
 * The sync of open PRs as an operator starts it, from `trackbridge sync` or the console: one
 * dry run that plans it with the App's own handler and reads each issue's status now (nothing
 * is written), and one apply that records a `repository_dispatch` (`trackbridge.sync`)
 * delivery, so the moves go through the outbox like any webhook's, never backwards, reported
 * on each PR's check run, resumed after a crash.
 */
import { DEFAULT_SYNC_DAYS } from "../core/plan-sync.js";
import { errorMessage } from "../delivery/runtime.js";
import type { Store } from "../delivery/store.js";
import type { PlanSubmission } from "../delivery/types.js";
import { judgeMove } from "../trackers/apply-action.js";
import type { Tracker } from "../trackers/port.js";
import { SYNC_EVENT_TYPE } from "./sync-repository.js";

export interface SyncTarget {
  owner: string;
  name: string;
  sinceDays: number;
}

/** What an operator can act on: a wrong repository or `since`, the App not installed. */
export class SyncRefused extends Error {
  override readonly name = "SyncRefused";
}

type Requester = { request: (route: string, params: object) => Promise<{ data: unknown }> };

/** What the App is to a sync: GitHub as the App, and its handlers planning without recording. */
export interface SyncApp {
  /** Probot's `auth`: the App itself without an id, an installation with one. */
  auth(installationId?: number): Promise<Requester>;
  /** Runs the App's handlers on one delivery and returns what they planned; writes nothing. */
  plan(id: string, event: string, payload: object): Promise<PlanSubmission[]>;
}

/** One planned move of the dry run, beside the issue's status now. */
export interface SyncRow {
  repo: string;
  pr: number | null;
  connection: string;
  key: string;
  /** The issue's status now; null when the tracker could not say (`why` tells). */
  current: string | null;
  target: string;
  /** False when the issue stays: already there, or further along (never backwards). */
  moves: boolean;
  why: string;
}

/**
 * `owner/name` and a number of days (`14` or `14d`), as the CLI's flags and the console's form
 * give them; DEFAULT_SYNC_DAYS when none is given.
 *
 * @example
 * parseSyncTarget("acme/web", "14d") // { owner: "acme", name: "web", sinceDays: 14 }
 */
export function parseSyncTarget(repo: string, since = ""): SyncTarget {
  const [owner, name, extra] = repo.trim().split("/");
  if (!owner || !name || extra !== undefined) {
    throw new SyncRefused(`the repository must be owner/name, got "${repo}"`);
  }
  if (since.trim() === "") return { owner, name, sinceDays: DEFAULT_SYNC_DAYS };
  const days = /^(\d{1,4})d?$/.exec(since.trim());
  if (!days) throw new SyncRefused(`since must be a number of days such as 14d, got "${since}"`);
  return { owner, name, sinceDays: Number(days[1]) };
}

/** The `repository_dispatch` payload GitHub would send for `trackbridge.sync`. */
export async function dispatchPayload(app: Pick<SyncApp, "auth">, target: SyncTarget) {
  const where = { owner: target.owner, repo: target.name };
  const installation = await (await app.auth())
    .request("GET /repos/{owner}/{repo}/installation", where)
    .catch(() => {
      throw new SyncRefused(`the App is not installed on ${target.owner}/${target.name}`);
    });
  const installationId = (installation.data as { id: number }).id;
  const octokit = await app.auth(installationId);
  const { data: repository } = await octokit.request("GET /repos/{owner}/{repo}", where);
  return {
    action: SYNC_EVENT_TYPE,
    branch: (repository as { default_branch?: string }).default_branch,
    client_payload: { since_days: target.sinceDays },
    repository,
    installation: { id: installationId },
    sender: { login: "trackbridge", type: "Bot" },
  };
}

/** The dry run: what a sync would move now, and what stays. Writes nothing anywhere. */
export async function previewSync(
  target: SyncTarget,
  deps: { app: SyncApp; trackers: ReadonlyMap<string, Tracker> },
): Promise<SyncRow[]> {
  const payload = await dispatchPayload(deps.app, target);
  // A fresh id each time: two previews at once each collect their own plans.
  const id = `sync-dry-run:${target.owner}/${target.name}:${Date.now()}:${Math.random()}`;
  const submissions = await deps.app.plan(id, "repository_dispatch", payload).catch((error) => {
    // Probot gathers the handlers' errors into one; each is a sentence (no config, GitHub refused).
    const causes: unknown[] = error instanceof AggregateError ? error.errors : [error];
    throw new SyncRefused(causes.map(errorMessage).join("; "), { cause: error });
  });
  return describeMoves(submissions, deps.trackers);
}

/** One row per planned move, with the issue's status now. */
async function describeMoves(
  submissions: PlanSubmission[],
  trackers: ReadonlyMap<string, Tracker>,
): Promise<SyncRow[]> {
  const rows: SyncRow[] = [];
  for (const submission of submissions) {
    const tracker = trackers.get(submission.connection);
    if (!tracker) throw new SyncRefused(`no tracker connection named "${submission.connection}"`);
    for (const action of submission.plan.actions) {
      if (action.kind !== "move") continue;
      const row = {
        repo: submission.repo,
        pr: submission.prNumber,
        connection: submission.connection,
        key: action.key,
        target: action.target,
      };
      const why = action.trigger.replace("_", " ");
      // The worker's own verdict (graph, distances and all), so the preview never disagrees.
      const judged = await judgeMove(tracker, action).catch((error: unknown) => error as Error);
      if (judged instanceof Error) {
        rows.push({ ...row, current: null, moves: true, why: judged.message });
        continue;
      }
      const { issue, verdict } = judged;
      const moves = verdict.kind === "moves";
      const said = verdict.kind === "already" ? "already there" : "never backwards";
      rows.push({
        ...row,
        current: issue.status.display,
        moves,
        why: moves ? why : `${why}: ${said}`,
      });
    }
  }
  return rows;
}

/** The id prefix of a repository's sync deliveries (`sync:owner/name:<ms>`). */
export const syncDeliveryPrefix = (target: Pick<SyncTarget, "owner" | "name">) =>
  `sync:${target.owner}/${target.name}:`;

/**
 * The apply: records the sync's delivery for the worker, or finds the one still running
 * (an interrupted run resumes instead of starting twice). The caller wakes its worker.
 */
export async function recordSync(
  target: SyncTarget,
  deps: {
    app: Pick<SyncApp, "auth">;
    store: Pick<Store, "unfinishedDelivery" | "recordDelivery">;
  },
): Promise<{ id: string; resumed: boolean }> {
  const prefix = syncDeliveryPrefix(target);
  // Asked of the whole store: on a busy server a running sync is soon not among the newest.
  const unfinished = await deps.store.unfinishedDelivery(prefix);
  if (unfinished) return { id: unfinished, resumed: true };
  const id = `${prefix}${Date.now()}`;
  const payload = await dispatchPayload(deps.app, target);
  await deps.store.recordDelivery({
    id,
    event: "repository_dispatch",
    payload,
    receivedAt: new Date().toISOString(),
  });
  return { id, resumed: false };
}
