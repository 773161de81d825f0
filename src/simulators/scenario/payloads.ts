/**
 * Webhook payloads in GitHub's shape, built from the GitHub simulator's own objects, so the
 * demo, end-to-end tests and benchmarks send what GitHub would send about the state the
 * simulator serves.
 */
import type { SimPullRequest, SimRepository, SimUser } from "../github/index.js";

interface Common {
  repository: SimRepository;
  installationId: number;
  sender: SimUser;
}

function base(common: Common) {
  return {
    repository: common.repository,
    installation: {
      id: common.installationId,
      node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${common.installationId}`,
    },
    sender: common.sender,
  };
}

export function pullRequestPayload(
  action: string,
  pullRequest: SimPullRequest,
  common: Common,
  changes?: Record<string, { from: string }>,
) {
  return {
    action,
    number: pullRequest.number,
    pull_request: pullRequest,
    ...(changes ? { changes } : {}),
    ...base(common),
  };
}

export function reviewPayload(
  state: "approved" | "changes_requested" | "commented",
  pullRequest: SimPullRequest,
  common: Common,
  submittedAt: string,
) {
  return {
    action: "submitted",
    review: {
      id: Math.floor(Math.random() * 1e9),
      node_id: "PRR_kwDO",
      user: common.sender,
      body: state === "approved" ? "LGTM" : "Please fix",
      commit_id: pullRequest.head.sha,
      submitted_at: submittedAt,
      state,
      html_url: `${pullRequest.html_url}#pullrequestreview`,
      pull_request_url: pullRequest.url,
      author_association: "MEMBER",
    },
    pull_request: pullRequest,
    ...base(common),
  };
}

export function commentPayload(
  pullRequest: SimPullRequest,
  comment: { id: number; body: string; created_at: string; user: SimUser },
  common: Common,
) {
  return {
    action: "created",
    issue: {
      number: pullRequest.number,
      title: pullRequest.title,
      state: pullRequest.state,
      html_url: pullRequest.html_url,
      pull_request: { url: pullRequest.url, html_url: pullRequest.html_url },
      user: pullRequest.user,
    },
    comment: { ...comment, html_url: `${pullRequest.html_url}#issuecomment-${comment.id}` },
    ...base(common),
  };
}

export function deploymentStatusPayload(
  input: {
    ref: string;
    sha: string;
    environment: string;
    url: string;
    state?: string;
    at: string;
    /** The id of a deployment the simulator recorded (`addDeployment`). */
    deploymentId?: number;
  },
  common: Common,
) {
  const deploymentId = input.deploymentId ?? Math.floor(Math.random() * 1e9);
  return {
    action: "created",
    deployment_status: {
      id: deploymentId + 1,
      state: input.state ?? "success",
      environment: input.environment,
      environment_url: input.url,
      target_url: `https://github.com/acme/web/actions/runs/${deploymentId}`,
      created_at: input.at,
      updated_at: input.at,
      creator: common.sender,
    },
    deployment: {
      id: deploymentId,
      sha: input.sha,
      ref: input.ref,
      task: "deploy",
      environment: input.environment,
      created_at: input.at,
      updated_at: input.at,
      creator: common.sender,
    },
    ...base(common),
  };
}

/** Now, as GitHub writes timestamps: to the second. Events within one second tie, as on GitHub. */
export function githubNow(offsetMs = 0): string {
  return new Date(Date.now() + offsetMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `create` for a new branch, as GitHub sends it (no sha: the App asks for the branch). */
export function createPayload(branch: string, common: Common) {
  return {
    ref: branch,
    ref_type: "branch",
    master_branch: common.repository.default_branch,
    description: null,
    pusher_type: "user",
    ...base(common),
  };
}

/** `push`; `created` marks the push that created the branch. */
export function pushPayload(
  input: {
    branch: string;
    before: string;
    after: string;
    created?: boolean;
    commits?: Array<{ sha: string; message: string; added?: string[]; modified?: string[] }>;
  },
  common: Common,
) {
  const commits = (input.commits ?? []).map((c) => ({
    id: c.sha,
    message: c.message,
    timestamp: githubNow(),
    added: c.added ?? [],
    removed: [],
    modified: c.modified ?? [],
  }));
  return {
    ref: `refs/heads/${input.branch}`,
    before: input.before,
    after: input.after,
    created: input.created ?? false,
    deleted: false,
    forced: false,
    commits,
    head_commit: commits.at(-1) ?? null,
    pusher: { name: common.sender.login },
    ...base(common),
  };
}

/** `release.published` for a release the simulator published. */
export function releasePayload(release: { tag_name: string; prerelease: boolean }, common: Common) {
  return { action: "published", release, ...base(common) };
}
