/**
 * Work started: a branch whose name carries issue keys was created (or pushed for the first
 * time). Only the branch name counts; commit messages count through the pull request.
 */
import { extractKeys } from "./extract-keys.js";
import { moveRules, rolesByKey } from "./plan-pull-request.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import type { BranchEvent, Plan, PlannedAction, SkippedKey } from "./types.js";

/**
 * @example
 * planWorkStarted({ branch: "PROJ-7-login", ... }, config) // move PROJ-7 to statuses.started
 */
export function planWorkStarted(event: BranchEvent, config: RepoConfig): Plan {
  const { keys, notes } = extractKeys(
    { branch: event.branch },
    { ...configToKeyOptions(config), from: ["branch"] },
  );
  const target = config.statuses.started;
  const actions: PlannedAction[] = [];
  const skipped: SkippedKey[] = [];
  for (const [key, role] of rolesByKey(keys)) {
    if (role !== "moving") continue;
    if (target === undefined) skipped.push({ key, reason: "`statuses.started` is not set" });
    else
      actions.push({
        kind: "move",
        key,
        target,
        trigger: "started",
        protect: config.protect,
        ...moveRules(config, target),
      });
  }
  return { keys, actions, skipped, notes: [...notes] };
}
