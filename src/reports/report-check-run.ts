/**
 * Writes the `trackbridge` check run on the commit a delivery was about, updated in place:
 * one check run per head commit, whatever the number of events.
 */
import type { ProbotOctokit } from "probot";
import { renderCheckRun } from "../core/render-check-run.js";
import type { PlannedAction } from "../core/types.js";
import type { Memo } from "../delivery/github-memo.js";
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
    case "create":
      return `create issue in ${action.project}`;
    case "unlink":
      return "unlink PR";
    case "assign":
      return `assign ${action.person} (${action.from})`;
    case "feature":
      return `Productboard feature ${action.op}`;
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
    case "discarded":
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
 * The commit's check-run id is kept in the store's memo: GitHub is asked for it (one list)
 * only for a commit no replica has written yet.
 */
export async function reportCheckRun(
  octokit: ProbotOctokit,
  memo: Memo,
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
  const { repo: fullName, headSha } = submission.report;
  const found = await checkRunToWrite(octokit, memo, { owner, repo, fullName, headSha });
  if ("id" in found) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: found.id, ...status, output });
    return;
  }
  try {
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name: CHECK_NAME,
      head_sha: headSha,
      ...status,
      output,
    });
    await memo.saveCheckRunId(fullName, headSha, data.id);
  } catch (error) {
    await memo.releaseCheckRun(fullName, headSha, found.claimedAt).catch(() => undefined);
    throw error;
  }
}

/** A claim older than this is a replica that died while creating the run: taken over. */
const CLAIM_STALE_MS = 30_000;
const CLAIM_POLL_MS = 50;

/**
 * The commit's check run to update, or the claim to create it. Replicas serialize the first
 * write of a commit through the store: one claims and creates, the others wait for its id.
 */
async function checkRunToWrite(
  octokit: ProbotOctokit,
  memo: Memo,
  where: { owner: string; repo: string; fullName: string; headSha: string },
): Promise<{ id: number } | { claimedAt: number }> {
  const { fullName, headSha } = where;
  for (;;) {
    const stored = await memo.checkRunId(fullName, headSha);
    if (stored !== null && stored > 0) return { id: stored };
    const now = Date.now();
    const staleBefore = now - CLAIM_STALE_MS;
    if (stored !== null && -stored >= staleBefore) {
      // Another replica is creating it: its id is moments away.
      await new Promise((resolve) => setTimeout(resolve, CLAIM_POLL_MS));
      continue;
    }
    if (!(await memo.claimCheckRun(fullName, headSha, now, staleBefore))) continue;
    const older = await findCheckRun(octokit, {
      owner: where.owner,
      repo: where.repo,
      ref: headSha,
    });
    if (older === null) return { claimedAt: now };
    await memo.saveCheckRunId(fullName, headSha, older);
    return { id: older };
  }
}

/** A check run an older version of the App (or a replica before the memo) wrote. */
async function findCheckRun(
  octokit: ProbotOctokit,
  where: { owner: string; repo: string; ref: string },
): Promise<number | null> {
  const { data } = await octokit.rest.checks.listForRef({
    ...where,
    check_name: CHECK_NAME,
    filter: "latest",
  });
  return data.check_runs[0]?.id ?? null;
}
