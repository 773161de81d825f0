/**
 * Pull requests, their commits and their conversation comments: the admin calls that seed
 * them, the JSON GitHub answers with, and the routes an app reads them through.
 */
import { numberedPage } from "./paginate.js";
import { errorReply, invalid, notFound, type Reply, type Route, repoRoute } from "./router.js";
import { nodeId, repoJson, userJson } from "./shapes.js";
import type { CommentState, CommitState, PullState, RepoState, SimState } from "./state.js";

export interface AddPullRequestInput {
  /** Defaults to one more than the highest number in the repository. */
  number?: number;
  title: string;
  body?: string | null;
  head: { ref: string; sha: string };
  /** The base branch, or branch and sha; defaults to the repository's default branch. */
  base?: string | { ref: string; sha?: string };
  /** Author login. */
  user?: string;
  draft?: boolean;
  state?: "open" | "closed";
  merged?: boolean;
  createdAt?: string;
  closedAt?: string | null;
  mergedAt?: string | null;
  mergeCommitSha?: string | null;
  /** Extra top-level fields for the PR object (labels, requested_reviewers, …). */
  extra?: Record<string, unknown>;
}

export interface AddCommitInput {
  sha: string;
  message: string;
  author?: { name?: string; email?: string; login?: string | null };
  date?: string;
}

export interface AddCommentInput {
  body: string;
  /** Author login; defaults to "octocat". */
  user?: string;
  createdAt?: string;
}

const HTML = "https://github.com";

export function addPullRequest(
  state: SimState,
  repo: RepoState,
  input: AddPullRequestInput,
): PullState {
  const number = input.number ?? Math.max(0, ...repo.pulls.keys()) + 1;
  if (repo.pulls.has(number)) {
    throw new Error(`GitHub simulator: ${repo.owner}/${repo.name}#${number} exists already`);
  }
  const now = state.timestamp();
  const base = typeof input.base === "string" ? { ref: input.base } : input.base;
  const merged = input.merged ?? false;
  const closed = merged || input.state === "closed";
  const pull: PullState = {
    number,
    title: input.title,
    body: input.body ?? null,
    head: { ...input.head },
    base: { ref: base?.ref ?? repo.defaultBranch, sha: base?.sha ?? "0".repeat(40) },
    user: input.user ?? "octocat",
    draft: input.draft ?? false,
    state: closed ? "closed" : "open",
    merged,
    createdAt: input.createdAt ?? now,
    updatedAt: now,
    closedAt: input.closedAt ?? (closed ? now : null),
    mergedAt: input.mergedAt ?? (merged ? now : null),
    mergeCommitSha: input.mergeCommitSha ?? null,
    extra: input.extra ?? {},
    commits: [],
  };
  repo.pulls.set(number, pull);
  return pull;
}

/** Applies a partial change, keeping state/merged/closed_at consistent the way GitHub does. */
export function updatePullRequest(
  state: SimState,
  pull: PullState,
  patch: Partial<Omit<AddPullRequestInput, "number">>,
): void {
  const now = state.timestamp();
  if (patch.title !== undefined) pull.title = patch.title;
  if (patch.body !== undefined) pull.body = patch.body;
  if (patch.head) pull.head = { ...patch.head };
  if (patch.base !== undefined) {
    const base = typeof patch.base === "string" ? { ref: patch.base } : patch.base;
    pull.base = { ref: base.ref, sha: base.sha ?? pull.base.sha };
  }
  if (patch.user !== undefined) pull.user = patch.user;
  if (patch.draft !== undefined) pull.draft = patch.draft;
  if (patch.merged !== undefined) pull.merged = patch.merged;
  if (patch.state !== undefined) pull.state = patch.state;
  if (pull.merged) pull.state = "closed";
  if (patch.closedAt !== undefined) pull.closedAt = patch.closedAt;
  else if (pull.state === "closed") pull.closedAt ??= now;
  else pull.closedAt = null;
  if (patch.mergedAt !== undefined) pull.mergedAt = patch.mergedAt;
  else pull.mergedAt = pull.merged ? (pull.mergedAt ?? now) : null;
  if (patch.mergeCommitSha !== undefined) pull.mergeCommitSha = patch.mergeCommitSha;
  if (patch.extra) pull.extra = { ...pull.extra, ...patch.extra };
  pull.updatedAt = now;
}

export function addCommit(state: SimState, pull: PullState, input: AddCommitInput): CommitState {
  const login = input.author?.login === undefined ? pull.user : input.author.login;
  const commit: CommitState = {
    sha: input.sha,
    message: input.message,
    author: {
      name: input.author?.name ?? login ?? "Someone",
      email: input.author?.email ?? `${login ?? "someone"}@example.com`,
      login,
    },
    date: input.date ?? state.timestamp(),
  };
  pull.commits.push(commit);
  return commit;
}

export function addComment(
  state: SimState,
  repo: RepoState,
  issueNumber: number,
  input: AddCommentInput & { userType?: "User" | "Bot" },
): CommentState {
  const at = input.createdAt ?? state.timestamp();
  const comment: CommentState = {
    id: state.nextId(),
    issueNumber,
    body: input.body,
    user: { login: input.user ?? "octocat", type: input.userType ?? "User" },
    createdAt: at,
    updatedAt: at,
  };
  repo.comments.push(comment);
  return comment;
}

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

export function commentJson(repo: RepoState, comment: CommentState, apiBase: string) {
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
  };
}

function pullOf(repo: RepoState, number: string | undefined): PullState | undefined {
  return repo.pulls.get(Number(number));
}

function bodyText(body: unknown): string | null {
  const text = (body as { body?: unknown } | null)?.body;
  return typeof text === "string" ? text : null;
}

/** Issue numbers exist only as pull requests here; comments on anything else are a 404. */
export function pullRoutes(state: SimState): Route[] {
  const bot = `${state.options.appSlug}[bot]`;
  return [
    repoRoute("GET /repos/:owner/:repo/pulls/:number", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      return pull ? { status: 200, body: pullJson(repo, pull, ctx.apiBase) } : notFound();
    }),
    repoRoute("GET /repos/:owner/:repo/pulls/:number/commits", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      if (!pull) return notFound();
      const all = pull.commits.map((_, i) => commitJson(repo, pull, i, ctx.apiBase));
      const page = numberedPage(all, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    // A commit by sha, found among the pull requests' commits (deployments ask for their head commit).
    repoRoute("GET /repos/:owner/:repo/commits/:sha", (ctx, repo): Reply => {
      for (const pull of repo.pulls.values()) {
        const index = pull.commits.findIndex((commit) => commit.sha === ctx.params.sha);
        if (index !== -1) return { status: 200, body: commitJson(repo, pull, index, ctx.apiBase) };
      }
      // A tag or branch name resolves to the commit it points at, as on GitHub.
      const ref = ctx.params.sha!;
      const sha = repo.tags.get(ref) ?? repo.branches.get(ref) ?? ref;
      const pushed = repo.history.find((commit) => commit.sha === sha);
      if (pushed) {
        const person = { name: "Someone", email: "someone@example.com", date: pushed.date };
        const commit = { message: pushed.message, author: person, committer: person };
        return { status: 200, body: { sha: pushed.sha, commit, parents: [] } };
      }
      return errorReply(422, `No commit found for SHA: ${ctx.params.sha}`);
    }),
    repoRoute("GET /repos/:owner/:repo/issues/:number/comments", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      if (!pull) return notFound();
      const all = repo.comments
        .filter((c) => c.issueNumber === pull.number)
        .map((c) => commentJson(repo, c, ctx.apiBase));
      const page = numberedPage(all, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("POST /repos/:owner/:repo/issues/:number/comments", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      if (!pull) return notFound();
      const body = bodyText(ctx.body);
      if (body === null) return invalid('Invalid request.\n\n"body" wasn\'t supplied.');
      const comment = addComment(state, repo, pull.number, { body, user: bot, userType: "Bot" });
      return { status: 201, body: commentJson(repo, comment, ctx.apiBase) };
    }),
    repoRoute("PATCH /repos/:owner/:repo/issues/comments/:id", (ctx, repo): Reply => {
      const comment = repo.comments.find((c) => c.id === Number(ctx.params.id));
      if (!comment) return notFound();
      const body = bodyText(ctx.body);
      if (body === null) return invalid('Invalid request.\n\n"body" wasn\'t supplied.');
      comment.body = body;
      comment.updatedAt = state.timestamp();
      return { status: 200, body: commentJson(repo, comment, ctx.apiBase) };
    }),
  ];
}
