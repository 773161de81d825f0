/**
 * The demo's bench pipeline: a workflow on push to a feature branch deploys a test bench and
 * then runs the bundled Action (action/dist/index.js) as a child process, as a GitHub runner
 * would, to write the bench's URL into the branch's issue. The runner's environment points
 * at the demo's GitHub and tracker simulators, so nothing leaves loopback.
 */
import { type ActionRun, prepareActionRunner } from "../simulators/runner/run-action.js";
import { pushPayload } from "../simulators/scenario/payloads.js";
import type { Testbed } from "../simulators/scenario/testbed.js";
import type { DemoTracker } from "./demo-trackers.js";

export const BENCH_URL = "https://bench-124.example.test";

/**
 * Pushes a commit onto `branch` (whose head is `before`) and runs the Action on that push.
 * Throws with the Action's errors when it fails, so a broken bundle stops the demo instead of
 * printing half a story.
 */
export async function runBenchPipeline(
  bed: Testbed,
  demo: DemoTracker,
  push: { branch: string; before: string },
  sender: Parameters<typeof pushPayload>[1],
): Promise<ActionRun> {
  const { github, owner, repo } = bed;
  const { branch, before } = push;
  const commit = { sha: "e".repeat(40), message: "Profile page: avatar upload" };
  const after = github.pushCommits(owner, repo, branch, [commit]);
  const runner = await prepareActionRunner({
    repository: `${owner}/${repo}`,
    apiUrl: github.url,
    actor: sender.sender.login,
    sha: after,
  });
  try {
    const run = await runner.run(
      {
        url: bed.tracker.url,
        token: bed.trackerToken,
        // A GitHub project's Action brings its own token (the App's installation's).
        ...demo.actionInputs(bed),
        field: demo.benchField,
        value: BENCH_URL,
        projects: "PROJ",
      },
      {
        name: "push",
        payload: pushPayload({ branch, before, after, commits: [commit] }, sender),
        env: { GITHUB_REF: `refs/heads/${branch}`, GITHUB_REF_NAME: branch },
      },
    );
    if (run.code !== 0) {
      throw new Error(
        `the Action exited ${run.code}: ${[...run.errors, run.stderr].join("\n").trim()}`,
      );
    }
    return run;
  } finally {
    await runner.cleanup();
  }
}

/** The job summary's table rows, as the run's page would show them. */
export function summaryRows(run: ActionRun): string[] {
  return run.summary
    .split("\n")
    .filter(
      (line) => line.startsWith("| ") && !line.startsWith("| Issue ") && !line.includes("---"),
    );
}
