/**
 * The one place the Action reads the runner's environment (inputs are read by
 * `@actions/core`'s getInput, from INPUT_<NAME>). Variables used, all set by the runner:
 *
 * - GITHUB_EVENT_NAME, GITHUB_EVENT_PATH — the triggering event and its payload file
 * - GITHUB_HEAD_REF — the PR's source branch (pull-request events only)
 * - GITHUB_REF_NAME — the branch or tag of the run
 * - GITHUB_SHA — the commit of the run
 * - GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID — for the comment's {run_url}; the
 *   server and the repository are also a GitHub project's GitHub and `#12`'s repository
 * - GITHUB_ACTOR — for the comment's {actor}
 * - GITHUB_STEP_SUMMARY — the job summary file (written through `@actions/core`)
 */
import type { RunnerRefs } from "./discover-keys.js";

export interface RunnerEnv extends RunnerRefs {
  eventPath: string | undefined;
  /** The GitHub the workflow runs on: https://github.com, or GitHub Enterprise Server's. */
  serverUrl: string;
  /** `owner/name`, or undefined outside a runner. */
  repository: string | undefined;
  /** Link to this workflow run, or undefined outside a runner. */
  runUrl: string | undefined;
  actor: string | undefined;
  /** Whether the runner gave a job summary file. */
  hasStepSummary: boolean;
}

export function readRunnerEnv(env: Readonly<Record<string, string | undefined>>): RunnerEnv {
  const value = (name: string) => {
    const text = env[name];
    return text === undefined || text === "" ? undefined : text;
  };
  const server = value("GITHUB_SERVER_URL") ?? "https://github.com";
  const repository = value("GITHUB_REPOSITORY");
  const runId = value("GITHUB_RUN_ID");
  return {
    eventName: value("GITHUB_EVENT_NAME") ?? "",
    eventPath: value("GITHUB_EVENT_PATH"),
    serverUrl: server,
    repository,
    headRef: value("GITHUB_HEAD_REF"),
    refName: value("GITHUB_REF_NAME"),
    sha: value("GITHUB_SHA"),
    runUrl:
      repository !== undefined && runId !== undefined
        ? `${server}/${repository}/actions/runs/${runId}`
        : undefined,
    actor: value("GITHUB_ACTOR"),
    hasStepSummary: value("GITHUB_STEP_SUMMARY") !== undefined,
  };
}
