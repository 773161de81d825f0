/**
 * Pull requests, their commits and their conversation comments: the admin calls that seed
 * them, the JSON GitHub answers with, and the routes an app reads them through.
 */
import { numberedPage } from "./paginate.js";
import { errorReply, invalid, notFound, type Reply, type Route, repoRoute } from "./router.js";
import { repoJson, userJson } from "./shapes.js";
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

import { commentJson, commitJson, pullJson } from "./pull-json.js";

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

function pullOf(repo: RepoState, number: string | undefined): PullState | undefined {
  return repo.pulls.get(Number(number));
}

function bodyText(body: unknown): string | null {
  const text = (body as { body?: unknown } | null)?.body;
  return typeof text === "string" ? text : null;
}

/** How the routes send a webhook: a PR the app edited comes back as `pull_request.edited`. */
export interface PullEvents {
  send(event: string, payload: unknown): void;
}

/** Issue numbers exist only as pull requests here; comments on anything else are a 404. */
export function pullRoutes(state: SimState, events?: PullEvents): Route[] {
  const bot = `${state.options.appSlug}[bot]`;
  const app = { id: state.options.appId, slug: state.options.appSlug };
  return [
    // Title and body edits; GitHub then sends pull_request.edited with what they were.
    repoRoute("PATCH /repos/:owner/:repo/pulls/:number", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      if (!pull) return notFound();
      const input = (ctx.body ?? {}) as { title?: unknown; body?: unknown };
      const changes: Record<string, { from: string }> = {};
      if (typeof input.title === "string" && input.title !== pull.title)
        changes.title = { from: pull.title };
      if (typeof input.body === "string" && input.body !== (pull.body ?? ""))
        changes.body = { from: pull.body ?? "" };
      updatePullRequest(state, pull, {
        ...(typeof input.title === "string" ? { title: input.title } : {}),
        ...(typeof input.body === "string" ? { body: input.body } : {}),
      });
      if (Object.keys(changes).length > 0) {
        events?.send("pull_request", {
          action: "edited",
          number: pull.number,
          pull_request: pullJson(repo, pull, ctx.apiBase),
          changes,
          repository: repoJson(repo, ctx.apiBase),
          installation: {
            id: repo.installationId,
            node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${repo.installationId}`,
          },
          sender: userJson(bot, "Bot"),
        });
      }
      return { status: 200, body: pullJson(repo, pull, ctx.apiBase) };
    }),
    repoRoute("GET /repos/:owner/:repo/collaborators/:username/permission", (ctx, repo): Reply => {
      const login = ctx.params.username!;
      const role = repo.permissions.get(login) ?? "read";
      // `permission` is the legacy name: maintain counts as write, triage as read.
      const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return { status: 200, body: { permission, role_name: role, user: userJson(login) } };
    }),
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
        .map((c) => commentJson(repo, c, ctx.apiBase, app));
      const page = numberedPage(all, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("POST /repos/:owner/:repo/issues/:number/comments", (ctx, repo): Reply => {
      const pull = pullOf(repo, ctx.params.number);
      if (!pull) return notFound();
      const body = bodyText(ctx.body);
      if (body === null) return invalid('Invalid request.\n\n"body" wasn\'t supplied.');
      const comment = addComment(state, repo, pull.number, { body, user: bot, userType: "Bot" });
      comment.viaApp = true;
      return { status: 201, body: commentJson(repo, comment, ctx.apiBase, app) };
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
