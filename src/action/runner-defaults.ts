/**
 * What the runner's environment (runner-env.ts) fills in for inputs the workflow left out, so
 * `parseInputs` is the one place an input gets its value.
 */
import { isTrackerType, kindOf } from "../trackers/kinds.js";

/** What the runner tells of the workflow (runner-env.ts); outside a runner, nothing. */
export interface RunnerInfo {
  /** `owner/name`: the repository a bare `#12` in `issue-key` is an issue of. */
  repository?: string | undefined;
  /** The GitHub the workflow runs on: a GitHub project's `url` when the input is not given. */
  serverUrl?: string | undefined;
}

/** A GitHub project is on the GitHub the workflow runs on, unless `url` says otherwise. */
export function withRunnerDefaults(
  raw: Readonly<Record<string, string | undefined>>,
  runner: RunnerInfo,
): Readonly<Record<string, string | undefined>> {
  const fromRunner =
    !raw.url &&
    runner.serverUrl !== undefined &&
    isTrackerType(raw.tracker) &&
    kindOf(raw.tracker).action.urlFromRunner;
  return fromRunner ? { ...raw, url: runner.serverUrl } : raw;
}
