/**
 * Writes the `trackbridge/issue` check run on a PR's head commit, updated in place. It is
 * separate from the `trackbridge` check so branch protection can require it alone: the merge
 * gate QA controls from the tracker.
 */
import type { ProbotOctokit } from "probot";
import { ISSUE_CHECK_NAME, renderIssueCheck } from "../core/issue-check.js";
import type { PlanSubmission } from "../delivery/types.js";

export async function reportIssueCheck(
  octokit: ProbotOctokit,
  submission: PlanSubmission,
): Promise<void> {
  if (!submission.issueCheck) throw new Error("reportIssueCheck: not an issue-check submission");
  const { issues, gate } = submission.issueCheck;
  const { title, summary, conclusion } = renderIssueCheck(issues, gate);
  const [owner, repo] = submission.report.repo.split("/") as [string, string];
  const head_sha = submission.report.headSha;
  const body = { status: "completed", conclusion, output: { title, summary } } as const;
  const { data } = await octokit.rest.checks.listForRef({
    owner,
    repo,
    ref: head_sha,
    check_name: ISSUE_CHECK_NAME,
    filter: "latest",
  });
  const existing = data.check_runs[0];
  if (existing) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: existing.id, ...body });
    return;
  }
  await octokit.rest.checks.create({ owner, repo, name: ISSUE_CHECK_NAME, head_sha, ...body });
}
