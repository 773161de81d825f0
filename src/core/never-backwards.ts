/**
 * The never-backwards rule: a late or lesser event never pulls an issue back from where
 * people or later events moved it. "Further along" comes from the config's own lifecycle
 * order (draft < opened < ready < approved = changes requested < merged = closed) and, for
 * statuses the config does not name, from the tracker's status category (to-do < in progress
 * < done) and, within one category, from how far into the workflow the status lies.
 *
 * The README's "Never backwards" table lists each case; test/core/never-backwards.test.ts
 * has one test per row.
 */
import { statusMatches } from "./match-status.js";
import type { LifecycleStatuses, MoveTrigger, StatusCategory, TrackerStatus } from "./types.js";

/** The order of a PR's life. Approval and changes requested are one stage: either follows the other. */
const STAGE: Record<MoveTrigger, number> = {
  // Work started on a branch comes before the PR; deployments and releases after the merge.
  started: 1,
  draft: 1,
  opened: 2,
  ready: 3,
  approved: 4,
  changes_requested: 4,
  merged: 5,
  closed: 5,
  deployed: 6,
  released: 7,
};

const CATEGORY_ORDER: Record<StatusCategory, number> = { todo: 0, in_progress: 1, done: 2 };

export interface NeverBackwardsInput {
  /** Where the issue stands now, with its category when known. */
  current: TrackerStatus;
  /** The target as the config names it. */
  target: string;
  /** The target status itself, when the graph or a transition named it. */
  targetStatus?: TrackerStatus;
  trigger: MoveTrigger;
  /** The config's `statuses:` section, with each deployment environment's status. */
  statuses: LifecycleStatuses;
  reopen: boolean;
  /** Steps from the workflow's start per status key, when the graph is known. */
  distances?: ReadonlyMap<string, number>;
  /** This PR moved the issue before: its own newer events follow the PR's life. */
  followsPr?: boolean;
}

export type Verdict = { move: true } | { move: false; summary: string };

/**
 * Decides whether moving the issue would pull it back.
 *
 * @example
 * neverBackwards({ current: testing, target: "readyForTest", trigger: "approved", statuses, reopen: false, distances })
 * // { move: false, summary: "left in Testing (further along than Ready for test)" }
 */
export function neverBackwards(input: NeverBackwardsInput): Verdict {
  const { current, target, trigger, statuses, reopen } = input;
  const targetName = input.targetStatus?.display ?? target;
  if (current.category === "done") {
    if (reopen) return { move: true };
    return {
      move: false,
      summary: `left in ${current.display} (done; the config's reopen: true would move it)`,
    };
  }
  const further = {
    move: false,
    summary: `left in ${current.display} (further along than ${targetName})`,
  } as const;
  const stage = stageOf(current, statuses);
  if (stage !== undefined) {
    return stage > STAGE[trigger] && !input.followsPr ? further : { move: true };
  }

  const targetCategory = input.targetStatus?.category;
  if (current.category === undefined || targetCategory === undefined) return { move: true };
  const byCategory = CATEGORY_ORDER[current.category] - CATEGORY_ORDER[targetCategory];
  if (byCategory !== 0) return byCategory > 0 ? further : { move: true };

  const here = input.distances?.get(current.key);
  const there = input.targetStatus ? input.distances?.get(input.targetStatus.key) : undefined;
  if (here !== undefined && there !== undefined && here > there) return further;
  return { move: true };
}

/**
 * The earliest stage of the PR's life whose configured status is `status`; undefined when
 * the config names it for no stage but `closed`. The earliest, because a status named twice (Needs
 * improvement for changes requested and for closed) must not block the stage between.
 */
export function stageOf(status: TrackerStatus, statuses: LifecycleStatuses): number | undefined {
  let earliest: number | undefined;
  for (const [trigger, configured] of Object.entries(statuses) as Array<
    [MoveTrigger, string | readonly string[] | undefined]
  >) {
    // Closing without a merge is no step forward: its status (often the initial one) never
    // holds an issue back.
    if (trigger === "closed") continue;
    const named = configured === undefined ? [] : [configured].flat();
    if (!named.some((name) => statusMatches(status, name))) continue;
    earliest = Math.min(earliest ?? Number.POSITIVE_INFINITY, STAGE[trigger]);
  }
  return earliest;
}
