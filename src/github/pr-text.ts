/**
 * The text sources a webhook payload does not carry (conversation comments, commit messages),
 * read from GitHub once per PR head and kept in the store's memo afterwards. A new comment
 * comes with its `issue_comment` payload; a push (`synchronize`) brings a new head, whose
 * commits are read once. The PR itself, as the last pull_request event showed it, is kept too:
 * a comment event then needs no `GET /pulls/{n}`.
 */
import type { ProbotOctokit } from "probot";
import type { Memo, PrComment } from "../delivery/github-memo.js";
import { fetchComments, fetchCommitMessages } from "./fetch-pr-text.js";

export interface PrTextInput {
  repo: { owner: string; name: string };
  prNumber: number;
  /** The PR's JSON (payload or API), whose head and updated_at key the memo. */
  pull: Record<string, unknown> & { head: { sha: string }; updated_at: string };
  /** The payload's counts: a zero saves a request. */
  counts?: { comments?: unknown; commits?: unknown };
  /** The comment an `issue_comment.created` payload carries. */
  newComment?: PrComment;
  /** The comment an `issue_comment.deleted` payload names: its text no longer counts. */
  deletedCommentId?: number;
  wants: { comments: boolean; commits: boolean };
}

export interface PrText {
  comments: string[];
  commits: string[];
  /** The commits the memo knew before this event (a synchronize's earlier text); null: none. */
  earlierCommits: string[] | null;
}

export async function readPrText(
  input: PrTextInput,
  deps: { octokit: ProbotOctokit; memo: Memo; appId: number },
): Promise<PrText> {
  const { memo } = deps;
  const repo = `${input.repo.owner}/${input.repo.name}`;
  const where = { owner: input.repo.owner, repo: input.repo.name, number: input.prNumber };
  const known = await memo.prMemo(repo, input.prNumber);
  const headSha = input.pull.head.sha;

  let commits: string[] | null = null;
  if (input.wants.commits) {
    if (known?.headSha === headSha && known.commits) commits = known.commits;
    else if (input.counts?.commits === 0) commits = [];
    else commits = await fetchCommitMessages(deps.octokit, where);
  }

  let comments: PrComment[] = [];
  let commentsKnown = known?.commentsKnown ?? false;
  if (input.deletedCommentId !== undefined)
    await memo.removePrComment(repo, input.prNumber, input.deletedCommentId);
  if (input.wants.comments) {
    if (commentsKnown) {
      comments = await memo.prComments(repo, input.prNumber);
      if (input.newComment && !comments.some((c) => c.id === input.newComment!.id)) {
        await memo.addPrComments(repo, input.prNumber, [input.newComment]);
        // Read again: a comment whose `deleted` event was processed first stays out.
        comments = await memo.prComments(repo, input.prNumber);
      }
    } else {
      comments =
        input.counts?.comments === 0 ? [] : await fetchComments(deps.octokit, where, deps.appId);
      await memo.addPrComments(repo, input.prNumber, comments);
      commentsKnown = true;
    }
  }

  await memo.savePrMemo({
    repo,
    prNumber: input.prNumber,
    headSha,
    pull: pullFields(input.pull),
    pullUpdatedAt: input.pull.updated_at,
    commits,
    commentsKnown,
  });
  return {
    comments: comments.map((c) => c.body),
    commits: commits ?? [],
    // A head seen before brings nothing new; an unknown one: everything it has is new.
    earlierCommits: !known ? null : known.headSha === headSha ? commits : known.commits,
  };
}

/** The PR as a comment event needs it, if an earlier event showed it. */
export async function knownPull(memo: Memo, repo: string, prNumber: number) {
  return (await memo.prMemo(repo, prNumber))?.pull ?? null;
}

/** Only what the normalizer reads: a PR payload is ~20 KB, this is a few hundred bytes. */
function pullFields(pull: Record<string, unknown>): Record<string, unknown> {
  const head = pull.head as { ref?: unknown; sha?: unknown };
  const picked: Record<string, unknown> = { head: { ref: head.ref, sha: head.sha } };
  for (const key of [
    "number",
    "html_url",
    "title",
    "body",
    "state",
    "draft",
    "merged",
    "merged_at",
    "closed_at",
    "updated_at",
  ]) {
    if (key in pull) picked[key] = pull[key];
  }
  // Who wrote, is assigned and merged: what `assignee.from` reads, as logins only.
  const login = (value: unknown) => ({ login: (value as { login?: unknown }).login });
  if (pull.user) picked.user = login(pull.user);
  if (pull.merged_by) picked.merged_by = login(pull.merged_by);
  if (Array.isArray(pull.assignees)) picked.assignees = pull.assignees.map(login);
  return picked;
}
