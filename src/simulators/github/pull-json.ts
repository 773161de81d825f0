/**
 * The JSON GitHub answers with for a pull request, one of its commits and a conversation
 * comment, in the shapes of the REST API (held to its OpenAPI by the contract tests).
 */
import { nodeId, repoJson, userJson } from "./shapes.js";
import type { CommentState, PullState, RepoState } from "./state.js";

export const HTML = "https://github.com";

export function pullJson(repo: RepoState, pull: PullState, apiBase: string) {
  const repoObject = repoJson(repo, apiBase);
  const api = `${apiBase}/repos/${repo.owner}/${repo.name}`;
  const id = idOfPull(repo, pull.number);
  return {
    url: `${api}/pulls/${pull.number}`,
    id,
    node_id: nodeId("PullRequest", id),
    html_url: `${HTML}/${repo.owner}/${repo.name}/pull/${pull.number}`,
    diff_url: `${HTML}/${repo.owner}/${repo.name}/pull/${pull.number}.diff`,
    patch_url: `${HTML}/${repo.owner}/${repo.name}/pull/${pull.number}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${api}/pulls/${pull.number}/commits`,
    review_comments_url: `${api}/pulls/${pull.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userJson(pull.user),
    body: pull.body,
    labels: [],
    milestone: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    draft: pull.draft,
    head: {
      label: `${repo.owner}:${pull.head.ref}`,
      ...pull.head,
      user: repoObject.owner,
      repo: repoObject,
    },
    base: {
      label: `${repo.owner}:${pull.base.ref}`,
      ...pull.base,
      user: repoObject.owner,
      repo: repoObject,
    },
    _links: pullLinks(`${HTML}/${repo.owner}/${repo.name}/pull/${pull.number}`, api, pull),
    author_association: "MEMBER",
    auto_merge: null,
    merged: pull.merged,
    mergeable: null,
    mergeable_state: "unknown",
    maintainer_can_modify: false,
    merged_by: pull.merged ? userJson(pull.user) : null,
    comments: repo.comments.filter((c) => c.issueNumber === pull.number).length,
    review_comments: 0,
    commits: pull.commits.length,
    additions: 0,
    deletions: 0,
    changed_files: 0,
    ...pull.extra,
  };
}

function pullLinks(html: string, api: string, pull: PullState) {
  const href = (url: string) => ({ href: url });
  return {
    self: href(`${api}/pulls/${pull.number}`),
    html: href(html),
    issue: href(`${api}/issues/${pull.number}`),
    comments: href(`${api}/issues/${pull.number}/comments`),
    review_comments: href(`${api}/pulls/${pull.number}/comments`),
    review_comment: href(`${api}/pulls/comments{/number}`),
    commits: href(`${api}/pulls/${pull.number}/commits`),
    statuses: href(`${api}/statuses/${pull.head.sha}`),
  };
}

/** PR ids differ from numbers on GitHub; derive one so both are stable. */
function idOfPull(repo: RepoState, number: number): number {
  return repo.id * 100_000 + number;
}

export function commitJson(repo: RepoState, pull: PullState, index: number, apiBase: string) {
  const commit = pull.commits[index]!;
  const parent = pull.commits[index - 1];
  const api = `${apiBase}/repos/${repo.owner}/${repo.name}`;
  const person = { name: commit.author.name, email: commit.author.email, date: commit.date };
  const user = commit.author.login ? userJson(commit.author.login) : null;
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", index + 1),
    url: `${api}/commits/${commit.sha}`,
    html_url: `${HTML}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      message: commit.message,
      author: person,
      committer: person,
      tree: { sha: "0".repeat(40), url: `${api}/git/trees/${"0".repeat(40)}` },
      comment_count: 0,
    },
    author: user,
    committer: user,
    parents: parent ? [{ sha: parent.sha, url: `${api}/commits/${parent.sha}` }] : [],
  };
}

export function commentJson(
  repo: RepoState,
  comment: CommentState,
  apiBase: string,
  app?: { id: number; slug: string },
) {
  const api = `${apiBase}/repos/${repo.owner}/${repo.name}`;
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${HTML}/${repo.owner}/${repo.name}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(comment.user.login, comment.user.type),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === "Bot" ? "NONE" : "MEMBER",
    performed_via_github_app:
      comment.viaApp && app
        ? { id: app.id, slug: app.slug, node_id: nodeId("Integration", app.id), name: app.slug }
        : null,
  };
}
