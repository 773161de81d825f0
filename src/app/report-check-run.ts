/**
 * Writes the `trackbridge` check run on the commit a delivery was about, updated in place:
 * one check run per head commit, whatever the number of events.
 */
import type { ProbotOctokit } from "probot";
import { renderCheckRun } from "../core/render-check-run.js";
import type { PlannedAction } from "../core/types.js";
import type { JobRecord, PlanSubmission } from "../delivery/types.js";

export const CHECK_NAME = "trackbridge";

export function describeAction(action: PlannedAction): string {
  switch (action.kind) {
    case "move":
      return `move to ${action.target} (${action.trigger.replace("_", " ")})`;
    case "link":
      return "link PR";
    case "set_field":
      return `set ${action.field}`;
    case "fix_version":
      return `fix version ${action.version}`;
    case "comment":
      return "comment";
  }
}

export function jobResult(job: JobRecord): { result: string; ok: boolean } {
  switch (job.state) {
    case "done":
      return { result: job.summary ?? "done", ok: true };
    case "skipped":
      return { result: job.summary ?? "skipped", ok: true };
    case "superseded":
      return { result: job.summary ?? "superseded by a newer event", ok: true };
    case "failed":
    case "dead":
      return { result: job.summary ?? job.lastError ?? "failed", ok: false };
    default:
      return {
        result: job.lastError ? `retrying (attempt ${job.attempts}): ${job.lastError}` : "pending",
        ok: false,
      };
  }
}

export function renderSubmission(submission: PlanSubmission, jobs: JobRecord[], pending = 0) {
  return renderCheckRun({
    pending,
    keys: submission.plan.keys,
    rows: jobs.map((job) => ({
      key: job.key,
      action: describeAction(job.action),
      ...jobResult(job),
    })),
    skipped: submission.plan.skipped,
    notes: submission.plan.notes,
    requireKey: submission.report.requireKey,
    ...(submission.configError ? { configError: submission.configError } : {}),
  });
}

/**
 * Creates or updates the check run. `inProgress` shows jobs that are still retrying (the
 * tracker is down or rate-limiting) while they retry; the final report completes the run.
 */
export async function reportCheckRun(
  octokit: ProbotOctokit,
  submission: PlanSubmission,
  jobs: JobRecord[],
  { inProgress = false }: { inProgress?: boolean } = {},
): Promise<void> {
  const [owner, repo] = submission.report.repo.split("/") as [string, string];
  const retrying = jobs.filter((job) => job.state === "pending" || job.state === "running").length;
  const rendered = renderSubmission(submission, jobs, inProgress ? retrying : 0);
  const title = inProgress ? `Retrying ${retrying} of ${jobs.length} actions` : rendered.title;
  const output = { title, summary: rendered.summary, text: rendered.text };
  const status = inProgress
    ? ({ status: "in_progress" } as const)
    : ({ status: "completed", conclusion: rendered.conclusion } as const);
  const { data } = await octokit.rest.checks.listForRef({
    owner,
    repo,
    ref: submission.report.headSha,
    check_name: CHECK_NAME,
    filter: "latest",
  });
  const existing = data.check_runs[0];
  if (existing) {
    await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: existing.id,
      ...status,
      output,
    });
    return;
  }
  await octokit.rest.checks.create({
    owner,
    repo,
    name: CHECK_NAME,
    head_sha: submission.report.headSha,
    ...status,
    output,
  });
}
