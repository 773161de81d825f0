/**
 * Where a trigger stands in a pull request's life. GitHub stamps events to the second, so an
 * approval and the auto-merge it triggers often share one: ranked by lifecycle, the merge
 * counts as the later event whatever order the webhooks arrive in, and a late approval never
 * moves the issue back. A reopen can only follow a close, so it ranks above it.
 *
 * @example
 * lifecycleRank("merged") > lifecycleRank("approved") // true
 */
import type { MoveTrigger, PlannedAction } from "./types.js";

const RANK: Record<MoveTrigger, number> = {
  started: 0,
  draft: 1,
  opened: 1,
  ready: 1,
  approved: 2,
  changes_requested: 2,
  merged: 3,
  closed: 3,
  deployed: 3,
  released: 3,
};

export function lifecycleRank(trigger: MoveTrigger | undefined): number {
  return trigger === undefined ? 0 : RANK[trigger];
}

/** A reopen (trigger `opened`) can only follow a close: it ranks above every trigger. */
export const REOPEN_RANK = 4;

/** The rank of a plan's moves (they share one trigger); 0 when it moves nothing. */
export function planRank(actions: readonly PlannedAction[]): number {
  const move = actions.find((action) => action.kind === "move");
  return lifecycleRank(move?.kind === "move" ? move.trigger : undefined);
}
