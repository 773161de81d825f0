/**
 * Never backwards, for the delivery life after the pull request: work started, deployments,
 * releases and the sync of open PRs. The config's own statuses give the order (started/draft →
 * opened/ready → reviewed → merged → deployed → released); an issue that already stands
 * in a status named for a later step is not moved back to an earlier one. The statuses are
 * handed to the move guard as protected ones, so the tracker adapter needs no second rule.
 *
 * @example
 * statusesAhead(config, "started") // ["inReview", "readyForTest", "closed", …]: never back to In progress from these
 */
import type { RepoConfig } from "./repo-config.js";
import type { MoveTrigger } from "./types.js";

/** Closing without a merge is no step forward, so it is not in the order. */
const LIFE: Record<Exclude<MoveTrigger, "closed">, number> = {
  started: 0,
  // A draft is work in progress: its status (often the initial one) is not past "started".
  draft: 0,
  opened: 1,
  ready: 1,
  approved: 2,
  changes_requested: 2,
  merged: 3,
  deployed: 4,
  released: 5,
};

export function statusesAhead(config: RepoConfig, trigger: MoveTrigger): string[] {
  if (trigger === "closed") return [];
  const rank = LIFE[trigger];
  const named: Array<[number, string]> = [];
  for (const [name, status] of Object.entries(config.statuses)) {
    if (status !== undefined && name !== "closed") {
      named.push([LIFE[name as keyof typeof LIFE], status]);
    }
  }
  for (const deployment of Object.values(config.deployments)) {
    if (deployment.status !== undefined) named.push([LIFE.deployed, deployment.status]);
  }
  // A status also named for this step or an earlier one is not "ahead" (e.g. merged and
  // approved both → readyForTest).
  const notAhead = new Set(named.filter(([r]) => r <= rank).map(([, s]) => s.toLowerCase()));
  const ahead = named
    .filter(([r, s]) => r > rank && !notAhead.has(s.toLowerCase()))
    .map(([, s]) => s);
  return [...new Set(ahead)];
}

/** The config's protected statuses plus the ones ahead of `trigger`. */
export function guardFor(config: RepoConfig, trigger: MoveTrigger): string[] {
  return [...new Set([...config.protect, ...statusesAhead(config, trigger)])];
}
