/**
 * The delivery life on the simulated GitHub: a linear commit history with branches and tags,
 * compare, releases, deployments and their statuses, pull-request lists and reviews. One
 * history keeps it simple: `compare` answers the commits after `base` up to `head`.
 */
import { numberedPage } from "./paginate.js";
import { pullJson } from "./pull-json.js";
import {
  errorReply,
  notFound,
  type Reply,
  type Route,
  type RouteContext,
  repoRoute,
} from "./router.js";
import { nodeId, userJson } from "./shapes.js";
import type { DeploymentState, HistoryCommit, ReleaseState, RepoState, SimState } from "./state.js";

/** GitHub's compare lists at most 250 commits; `total_commits` says how many there are. */
export const COMPARE_LIMIT = 250;

function resolve(repo: RepoState, ref: string): number {
  const sha = repo.tags.get(ref) ?? repo.branches.get(ref) ?? ref;
  return repo.history.findIndex((c) => c.sha === sha);
}

function commitJson(repo: RepoState, commit: HistoryCommit, apiBase: string) {
  const person = { name: "Someone", email: "someone@example.com", date: commit.date };
  return {
    sha: commit.sha,
    url: `${apiBase}/repos/${repo.owner}/${repo.name}/commits/${commit.sha}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    commit: { message: commit.message, author: person, committer: person },
    author: null,
    committer: null,
    parents: [],
  };
}

/** A release as the REST API and the `release` webhook show it (every field they require). */
export function releaseJson(repo: RepoState, release: ReleaseState, apiBase: string) {
  const url = `${apiBase}/repos/${repo.owner}/${repo.name}/releases/${release.id}`;
  const html = `https://github.com/${repo.owner}/${repo.name}`;
  return {
    url,
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.owner}/${repo.name}/releases/${release.id}/assets{?name,label}`,
    html_url: `${html}/releases/tag/${release.tag}`,
    id: release.id,
    node_id: nodeId("Release", release.id),
    tag_name: release.tag,
    target_commitish: repo.defaultBranch,
    name: release.tag,
    body: null,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: false,
    author: userJson("octocat"),
    assets: [],
    created_at: release.createdAt,
    updated_at: release.publishedAt,
    published_at: release.publishedAt,
    tarball_url: `${apiBase}/repos/${repo.owner}/${repo.name}/tarball/${release.tag}`,
    zipball_url: `${apiBase}/repos/${repo.owner}/${repo.name}/zipball/${release.tag}`,
  };
}

export function deploymentJson(repo: RepoState, deployment: DeploymentState) {
  return {
    id: deployment.id,
    sha: deployment.sha,
    ref: deployment.ref,
    task: "deploy",
    environment: deployment.environment,
    created_at: deployment.createdAt,
    updated_at: deployment.createdAt,
    creator: userJson("deploy-bot", "Bot"),
    repository_url: `https://api.github.com/repos/${repo.owner}/${repo.name}`,
  };
}

export function historyRoutes(state: SimState): Route[] {
  return [
    repoRoute("GET /repos/:owner/:repo/compare/:basehead", (ctx, repo): Reply => {
      const [base, head] = ctx.params.basehead!.split("...");
      const from = resolve(repo, base ?? "");
      const to = resolve(repo, head ?? "");
      if (from === -1 || to === -1) return notFound();
      const between = repo.history.slice(from + 1, to + 1);
      return {
        status: 200,
        body: {
          status: between.length === 0 ? "identical" : "ahead",
          ahead_by: between.length,
          behind_by: 0,
          total_commits: between.length,
          commits: between.slice(0, COMPARE_LIMIT).map((c) => commitJson(repo, c, ctx.apiBase)),
          files: [],
        },
      };
    }),
    repoRoute("GET /repos/:owner/:repo/commits", (ctx, repo): Reply => {
      const head = resolve(repo, ctx.url.searchParams.get("sha") ?? repo.defaultBranch);
      if (head === -1) return errorReply(404, "No commit found for SHA");
      const newestFirst = repo.history.slice(0, head + 1).reverse();
      const page = numberedPage(
        newestFirst.map((c) => commitJson(repo, c, ctx.apiBase)),
        ctx.url,
      );
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("GET /repos/:owner/:repo/branches/:branch", (ctx, repo): Reply => {
      const sha = repo.branches.get(ctx.params.branch!);
      if (!sha) return errorReply(404, "Branch not found");
      return { status: 200, body: { name: ctx.params.branch, commit: { sha }, protected: false } };
    }),
    repoRoute("GET /repos/:owner/:repo/releases", (ctx, repo): Reply => {
      const newestFirst = [...repo.releases]
        .reverse()
        .map((r) => releaseJson(repo, r, ctx.apiBase));
      const page = numberedPage(newestFirst, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("GET /repos/:owner/:repo/deployments", (ctx, repo): Reply => {
      const environment = ctx.url.searchParams.get("environment");
      const newestFirst = [...repo.deployments]
        .reverse()
        .filter((d) => environment === null || d.environment === environment)
        .map((d) => deploymentJson(repo, d));
      const page = numberedPage(newestFirst, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("GET /repos/:owner/:repo/deployments/:id/statuses", (ctx, repo): Reply => {
      const deployment = repo.deployments.find((d) => d.id === Number(ctx.params.id));
      if (!deployment) return notFound();
      const newestFirst = [...deployment.statuses].reverse().map((s) => ({
        id: s.id,
        state: s.state,
        environment: deployment.environment,
        environment_url: s.environmentUrl,
        created_at: s.createdAt,
      }));
      const page = numberedPage(newestFirst, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("GET /repos/:owner/:repo/pulls", (ctx, repo): Reply => {
      const wanted = ctx.url.searchParams.get("state") ?? "open";
      const all = [...repo.pulls.values()]
        .filter((p) => wanted === "all" || p.state === wanted)
        // sort=updated&direction=desc is what the sync asks for; created order otherwise.
        .sort((a, b) =>
          ctx.url.searchParams.get("sort") === "updated"
            ? b.updatedAt.localeCompare(a.updatedAt)
            : a.number - b.number,
        )
        .map((p) => pullJson(repo, p, ctx.apiBase));
      const page = numberedPage(all, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
    repoRoute("GET /repos/:owner/:repo/pulls/:number/reviews", (ctx, repo): Reply => {
      const number = Number(ctx.params.number);
      if (!repo.pulls.has(number)) return notFound();
      const all = repo.reviews
        .filter((r) => r.prNumber === number)
        .map((r) => ({
          id: r.id,
          user: userJson(r.user),
          state: r.state,
          submitted_at: r.submittedAt,
          commit_id: repo.pulls.get(number)!.head.sha,
        }));
      const page = numberedPage(all, ctx.url);
      return { status: 200, body: page.items, headers: page.headers };
    }),
  ].map((route) => withRateLimit(state, route));
}

/**
 * GitHub's primary rate limit: once the budget the test set is spent, 403 with
 * `x-ratelimit-remaining: 0` and the reset time, until the reset passes.
 */
function withRateLimit(state: SimState, route: Route): Route {
  if (route.kind !== "repo") return route;
  return {
    ...route,
    handle(ctx: RouteContext, repo: RepoState) {
      const limit = state.rateLimited;
      if (limit && (limit.resetAt === null || Date.now() < limit.resetAt)) {
        if (limit.resetAt !== null) {
          return {
            ...errorReply(403, "API rate limit exceeded for installation."),
            headers: {
              "x-ratelimit-limit": "5000",
              "x-ratelimit-remaining": "0",
              "x-ratelimit-reset": String(Math.ceil(limit.resetAt / 1000)),
            },
          };
        }
        limit.remaining -= 1;
        if (limit.remaining <= 0) limit.resetAt = Date.now() + limit.resetInMs;
      }
      return route.handle(ctx, repo);
    },
  };
}
