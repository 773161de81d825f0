/**
 * Plans a tracker change signal (a tracker webhook, the poll, or the App's own move): read
 * the issue from the tracker, skip the change the App made itself, and for every open PR that
 * moves the issue, read the statuses of all the issues that PR moves. Each such PR gets a
 * submission whose report is its `trackbridge/issue` check; nothing is executed on a tracker.
 * A person's change also plans the `follow` jobs of the Productboard features linked to the
 * issue (the App's own moves are followed from their report: productboard-hooks.ts).
 */
import type { IssueState } from "../core/issue-check.js";
import { statusMatches } from "../core/match-status.js";
import type { NotifyRule } from "../core/notify.js";
import type { Store } from "../delivery/store.js";
import type { TrackerSignal } from "../delivery/tracker-ingest.js";
import type { IncomingDelivery, PlanSubmission } from "../delivery/types.js";
import type { LoadedConfig } from "../github/load-repo-config.js";
import { isRetryable, TrackerError } from "../trackers/errors.js";
import type { Tracker, TrackerIssue } from "../trackers/port.js";
import type { FeatureLinks } from "../trackers/productboard/follow-feature.js";
import { emptyPlan } from "./handle-pull-request.js";
import { type FeatureSignal, planFeatureSignal } from "./plan-feature.js";

/** What the planner reads from GitHub (implemented with Probot's Octokit in server.ts). */
export interface GitHubReader {
  /** The PR's head and state, and the installation that can write its checks; null if the App is not installed there. */
  pullRequest(
    repo: string,
    prNumber: number,
  ): Promise<{ installationId: number; headSha: string; open: boolean } | null>;
  loadConfig(repo: string, installationId: number): Promise<LoadedConfig>;
}

export interface IssueChangeDeps {
  trackers: ReadonlyMap<string, Tracker>;
  store: Pick<Store, "openPrsOfIssue" | "issuesOfPr" | "lastAppMoveTarget">;
  github: GitHubReader;
  /** How long after the App's own move a change to that status is taken as the App's echo. */
  loopWindowMs: number;
  now: () => number;
  log: { debug(object: object, message: string): void };
  /** With a `productboard:` section: the features that follow their issues, and its rules. */
  features?: { links: Pick<FeatureLinks, "featuresOfIssue">; notify: NotifyRule[] };
}

export async function planIssueChange(
  delivery: IncomingDelivery,
  deps: IssueChangeDeps,
): Promise<PlanSubmission[]> {
  const signal = delivery.payload as TrackerSignal;
  const context = { delivery: delivery.id, connection: signal.connection, key: signal.key };
  const tracker = deps.trackers.get(signal.connection);
  if (!tracker) {
    throw new TrackerError("invalid", `no tracker connection named "${signal.connection}"`, {
      connection: signal.connection,
    });
  }
  let issue: TrackerIssue;
  try {
    // The body is only a signal: the status is what the tracker's API says now.
    issue = await tracker.getIssue(signal.key);
  } catch (error) {
    // A deleted issue cannot be planned for its PRs; its features still learn it is gone.
    const gone = error instanceof TrackerError && error.kind === "not_found";
    const follow = gone ? await followingFeatures(delivery, [signal.key], deps) : [];
    if (follow.length > 0) return follow;
    throw error;
  }
  const keys = [...new Set([signal.key, issue.key, ...issue.aliases])];

  // The echo of the App's own move: its report already wrote the checks and moved the features.
  if (signal.origin !== "app" && (await isOwnMove(signal.connection, keys, issue, deps))) {
    deps.log.debug(context, "the App's own move: no new round");
    return [];
  }

  const prs = new Map<string, { repo: string; prNumber: number }>();
  for (const key of keys) {
    for (const pr of await deps.store.openPrsOfIssue(signal.connection, key)) {
      prs.set(`${pr.repo}#${pr.prNumber}`, pr);
    }
  }
  // Known already, under the key the signal gave (an old one, a node id) and the issue's own.
  const statuses = new Map<string, Promise<IssueState>>(
    [signal.key, issue.key].map((key) => [
      `${signal.connection}\n${key}`,
      Promise.resolve({ key, connection: signal.connection, status: issue.status }),
    ]),
  );
  const readStatus = (connection: string, key: string) => {
    const id = `${connection}\n${key}`;
    let read = statuses.get(id);
    if (!read) {
      read = readIssue(deps.trackers, connection, key);
      statuses.set(id, read);
    }
    return read;
  };

  const submissions: PlanSubmission[] = [];
  for (const { repo, prNumber } of prs.values()) {
    const pr = await deps.github.pullRequest(repo, prNumber);
    if (!pr?.open) {
      deps.log.debug({ ...context, repo, prNumber }, "the PR is closed or out of reach");
      continue;
    }
    const loaded = await deps.github.loadConfig(repo, pr.installationId);
    if (loaded.kind !== "valid") {
      deps.log.debug({ ...context, repo, prNumber }, `repo config ${loaded.kind}`);
      continue;
    }
    const linked = await deps.store.issuesOfPr(repo, prNumber);
    const issues = await Promise.all(linked.map((l) => readStatus(l.connection, l.key)));
    const gate = loaded.config.merge_gate?.statuses;
    submissions.push({
      deliveryId: delivery.id,
      connection: signal.connection,
      repo,
      // Null: an issue check changes nothing the PR's own events decide (pr_issues, jobs).
      prNumber: null,
      prState: "open",
      eventAt: delivery.receivedAt,
      waitForAllPrs: false,
      plan: emptyPlan(),
      report: {
        installationId: pr.installationId,
        repo,
        headSha: pr.headSha,
        prNumber,
        requireKey: false,
      },
      issueCheck: { issues, ...(gate ? { gate } : {}) },
    });
  }
  // The issue's own key first: the follow jobs name the issue by it (not by a node id).
  const follow = await followingFeatures(delivery, [...new Set([issue.key, ...keys])], deps);
  return [...submissions, ...follow];
}

/** The `follow` jobs of the features linked to any of `keys` (none: no submission). */
function followingFeatures(
  delivery: IncomingDelivery,
  keys: string[],
  deps: IssueChangeDeps,
): Promise<PlanSubmission[]> {
  const { connection, origin } = delivery.payload as TrackerSignal;
  // The App's own moves are followed from their report (productboard-hooks.ts), once.
  if (!deps.features || origin === "app") return Promise.resolve([]);
  const payload: FeatureSignal = { op: "follow", connection, keys };
  return planFeatureSignal({ ...delivery, payload }, deps.features.links, deps.features.notify);
}

/**
 * The loop guard: the issue is in the status the App's own recent move put it in, so this
 * change is (as far as anyone can tell) the echo of that move, already reported by it.
 */
async function isOwnMove(
  connection: string,
  keys: readonly string[],
  issue: { status: { key: string; display: string } },
  deps: IssueChangeDeps,
): Promise<boolean> {
  const since = deps.now() - deps.loopWindowMs;
  for (const key of keys) {
    const target = await deps.store.lastAppMoveTarget(connection, key, since);
    if (target !== null && statusMatches(issue.status, target)) return true;
  }
  return false;
}

/** A permanent failure (deleted, no access) is shown on the check; a retryable one retries the plan. */
async function readIssue(
  trackers: ReadonlyMap<string, Tracker>,
  connection: string,
  key: string,
): Promise<IssueState> {
  const tracker = trackers.get(connection);
  if (!tracker) return { key, connection, error: `no tracker connection named "${connection}"` };
  try {
    return { key, connection, status: (await tracker.getIssue(key)).status };
  } catch (error) {
    if (isRetryable(error)) throw error;
    return { key, connection, error: error instanceof Error ? error.message : String(error) };
  }
}
