/**
 * Writes the key of an issue trackbridge created back onto its pull request: a `PROJ-123: `
 * prefix on the title (GitHub then sends `pull_request.edited`, whose plan links and moves the
 * new issue like any key a person typed; a key is there now, so nothing is created twice), or
 * a comment the App's later reads count as a key source. Runs with the delivery's report,
 * which is retried until it lands: each write first looks whether it is done already.
 */
import type { ProbotOctokit } from "probot";
import { writeBackComment } from "../core/plan-create.js";
import type { Memo } from "../delivery/github-memo.js";
import type { JobRecord } from "../delivery/types.js";

export async function writeBackCreated(
  octokit: ProbotOctokit,
  jobs: readonly JobRecord[],
  memo?: Pick<Memo, "addPrComments">,
): Promise<void> {
  for (const job of jobs) {
    const { action } = job;
    const key = job.result?.created;
    if (action.kind !== "create" || job.state !== "done" || !key) continue;
    const [owner, repo] = action.pr.repo.split("/") as [string, string];
    const where = { owner, repo };
    if (action.writeBack === "comment") {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...where,
        issue_number: action.pr.number,
        per_page: 100,
      });
      const body = writeBackComment(key);
      if (comments.some((comment) => comment.body === body)) continue;
      const { data } = await octokit.rest.issues.createComment({
        ...where,
        issue_number: action.pr.number,
        body,
      });
      // The PR's next event reads its comments from the memo: the key is the PR's from now on.
      await memo?.addPrComments(action.pr.repo, action.pr.number, [{ id: data.id, body }]);
      continue;
    }
    const { data: pull } = await octokit.rest.pulls.get({
      ...where,
      pull_number: action.pr.number,
    });
    if (new RegExp(`(^|[^A-Za-z0-9])${key}([^0-9]|$)`).test(pull.title)) continue;
    await octokit.rest.pulls.update({
      ...where,
      pull_number: action.pr.number,
      title: `${key}: ${pull.title}`,
    });
  }
}
