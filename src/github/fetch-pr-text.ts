/**
 * Fetches the text sources a pull-request payload does not carry: conversation comments and
 * commit messages. Both are capped: a PR with thousands of commits must not cost thousands
 * of API calls on every event. The extractor notes the cap on the check run.
 */
import type { ProbotOctokit } from "probot";
import { isWriteBack } from "../core/plan-create.js";

export const MAX_FETCHED_ITEMS = 250;

interface PrLocation {
  owner: string;
  repo: string;
  number: number;
}

export async function fetchComments(
  octokit: ProbotOctokit,
  where: PrLocation,
  appId: number,
): Promise<Array<{ id: number; body: string }>> {
  const bodies: Array<{ id: number; body: string }> = [];
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.number,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const comment of page.data) {
      // The App's own comments never count as a source of keys, but for the one that says
      // which issue it created for the PR (`write_back: comment`): that key is the PR's.
      if (comment.performed_via_github_app?.id === appId && !isWriteBack(comment.body ?? ""))
        continue;
      bodies.push({ id: comment.id, body: comment.body ?? "" });
    }
    if (bodies.length >= MAX_FETCHED_ITEMS) break;
  }
  return bodies.slice(0, MAX_FETCHED_ITEMS);
}

export async function fetchCommitMessages(
  octokit: ProbotOctokit,
  where: PrLocation,
): Promise<string[]> {
  const messages: string[] = [];
  const pages = octokit.paginate.iterator(octokit.rest.pulls.listCommits, {
    owner: where.owner,
    repo: where.repo,
    pull_number: where.number,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const commit of page.data) messages.push(commit.commit.message);
    if (messages.length >= MAX_FETCHED_ITEMS) break;
  }
  return messages.slice(0, MAX_FETCHED_ITEMS);
}
