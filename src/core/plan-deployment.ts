/**
 * Plans what a successful deployment writes into the tracker: the environment URL into each
 * issue's field, and (when the environment's `deployments:` rule names one) a move. Pure,
 * like the pull-request planner.
 */
import { extractKeys } from "./extract-keys.js";
import { matchEnvironment } from "./match-environment.js";
import { moveRules, rolesByKey } from "./plan-pull-request.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import type { DeploymentEvent, Plan, PlannedAction, SkippedKey } from "./types.js";

const BENCH_FIELD_MISSING =
  "`bench.field` is not set in the repository config, so no bench URL is written";

/**
 * Plans a `set_field` (the environment's field, else `bench.field` = deployment URL) and,
 * when the environment's rule names a status, a `move`, for each moving key found in the
 * deployment's ref (read as a branch name), its head commit message and the messages of the
 * commits deployed since the environment's last successful deployment.
 *
 * Referenced keys ("refs PROJ-2") are skipped: the bench runs the work of the issue the
 * branch is for, not of every issue it mentions.
 *
 * @example
 * planDeployment({ ref: "PROJ-1-login", url: "https://pr-7.bench.example", ... }, config)
 * // { actions: [{ kind: "set_field", key: "PROJ-1", field: "benchLink", value: "https://pr-7.bench.example" }], ... }
 */
export function planDeployment(event: DeploymentEvent, config: RepoConfig): Plan {
  const { keys, notes: extractorNotes } = extractKeys(
    {
      branch: branchName(event.ref),
      commits: [event.headCommitMessage, ...(event.commits ?? [])],
    },
    configToKeyOptions(config),
  );
  const notes = [...extractorNotes];
  const actions: PlannedAction[] = [];
  const skipped: SkippedKey[] = [];
  const matched = matchEnvironment(config.deployments, event.environment);
  const field = matched?.rule.field ?? config.bench?.field;
  const status = matched?.rule.status;

  if (event.commitsCapped) {
    const { read, total } = event.commitsCapped;
    notes.push(
      `${total ?? `more than ${read}`} commits were deployed to ${event.environment}; keys were read from the first ${read}`,
    );
  }
  if (field === undefined && status === undefined) notes.push(BENCH_FIELD_MISSING);
  if (field !== undefined && event.url === "") notes.push("the deployment has no environment URL");

  for (const [key, role] of rolesByKey(keys)) {
    if (role === "reference") {
      skipped.push({ key, reason: "only referenced; the bench URL goes to the moving keys" });
      continue;
    }
    if (status !== undefined) {
      actions.push({
        kind: "move",
        key,
        target: status,
        trigger: "deployed",
        protect: config.protect,
        ...moveRules(config, status),
      });
    }
    if (field === undefined) {
      if (status === undefined) skipped.push({ key, reason: "`bench.field` is not set" });
    } else if (event.url === "") {
      skipped.push({ key, reason: "the deployment has no environment URL" });
    } else {
      actions.push({ kind: "set_field", key, field, value: event.url });
    }
  }
  return { keys, actions, skipped, notes };
}

/** Deployments may carry a full ref (`refs/heads/PROJ-1-x`); the extractor wants the branch name. */
export function branchName(ref: string): string {
  return ref.replace(/^refs\/heads\//, "");
}
