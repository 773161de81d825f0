/**
 * Plans what a successful deployment writes into the tracker: the environment URL into each
 * issue's bench field. Pure, like the pull-request planner.
 */
import { extractKeys } from "./extract-keys.js";
import { rolesByKey } from "./plan-pull-request.js";
import { configToKeyOptions, type RepoConfig } from "./repo-config.js";
import type { DeploymentEvent, Plan, PlannedAction, SkippedKey } from "./types.js";

const BENCH_FIELD_MISSING =
  "`bench.field` is not set in the repository config, so no bench URL is written";

/**
 * Plans a `set_field` (bench field = deployment URL) for each moving key found in the
 * deployment's ref (read as a branch name) and its head commit message.
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
    { branch: branchName(event.ref), commits: [event.headCommitMessage] },
    configToKeyOptions(config),
  );
  const notes = [...extractorNotes];
  const actions: PlannedAction[] = [];
  const skipped: SkippedKey[] = [];
  const field = config.bench?.field;

  if (field === undefined) notes.push(BENCH_FIELD_MISSING);
  if (field !== undefined && event.url === "") notes.push("the deployment has no environment URL");

  for (const [key, role] of rolesByKey(keys)) {
    if (field === undefined) {
      skipped.push({ key, reason: "`bench.field` is not set" });
    } else if (event.url === "") {
      skipped.push({ key, reason: "the deployment has no environment URL" });
    } else if (role === "reference") {
      skipped.push({ key, reason: "only referenced; the bench URL goes to the moving keys" });
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
