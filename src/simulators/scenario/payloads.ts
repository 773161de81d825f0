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

/**
 * A review's `pull_request` is GitHub's shorter shape: no merge state and no counts (it is
 * sent on every review, and counting is costly); `draft` and the lock reason stay.
 */
function reviewedPullRequest(pullRequest: SimPullRequest) {
  const {
    merged,
    merged_by,
    mergeable,
    mergeable_state,
    maintainer_can_modify,
    comments,
    review_comments,
    commits,
    additions,
    deletions,
    changed_files,
    ...rest
  } = pullRequest;
  return rest;
}

export function reviewPayload(
  state: "approved" | "changes_requested" | "commented",
  pullRequest: SimPullRequest,
  common: Common,
  submittedAt: string,
) {
  const id = Math.floor(Math.random() * 1e9);
  const htmlUrl = `${pullRequest.html_url}#pullrequestreview-${id}`;
  return {
    action: "submitted",
    review: {
      id,
      node_id: `PRR_${id}`,
      user: common.sender,
      body: state === "approved" ? "LGTM" : "Please fix",
      commit_id: pullRequest.head.sha,
      submitted_at: submittedAt,
      state,
      html_url: htmlUrl,
      pull_request_url: pullRequest.url,
      author_association: "MEMBER",
      _links: { html: { href: htmlUrl }, pull_request: { href: pullRequest.url } },
    },
    pull_request: reviewedPullRequest(pullRequest),
    ...base(common),
  };
}

const NO_REACTIONS = {
  url: "",
  total_count: 0,
  "+1": 0,
  "-1": 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
};

/** `issue_comment.created` on a pull request: the PR as an issue, and the comment. */
export function commentPayload(
  pullRequest: SimPullRequest,
  comment: { id: number; body: string; created_at: string; user: SimUser },
  common: Common,
) {
  const repoUrl = common.repository.url;
  const issueUrl = `${repoUrl}/issues/${pullRequest.number}`;
  const commentUrl = `${repoUrl}/issues/comments/${comment.id}`;
  return {
    action: "created",
    issue: {
      url: issueUrl,
      repository_url: repoUrl,
      labels_url: `${issueUrl}/labels{/name}`,
      comments_url: `${issueUrl}/comments`,
      events_url: `${issueUrl}/events`,
      html_url: pullRequest.html_url,
      id: pullRequest.id,
      node_id: pullRequest.node_id,
      number: pullRequest.number,
      title: pullRequest.title,
      user: pullRequest.user,
      labels: [],
      state: pullRequest.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: pullRequest.comments + 1,
      created_at: pullRequest.created_at,
      updated_at: comment.created_at,
      closed_at: pullRequest.closed_at,
      author_association: "MEMBER",
      active_lock_reason: null,
      body: pullRequest.body,
      reactions: { ...NO_REACTIONS, url: `${issueUrl}/reactions` },
      pull_request: {
        url: pullRequest.url,
        html_url: pullRequest.html_url,
        diff_url: pullRequest.diff_url,
        patch_url: pullRequest.patch_url,
        merged_at: pullRequest.merged_at,
      },
    },
    comment: {
      url: commentUrl,
      html_url: `${pullRequest.html_url}#issuecomment-${comment.id}`,
      issue_url: issueUrl,
      id: comment.id,
      node_id: `IC_${comment.id}`,
      user: comment.user,
      created_at: comment.created_at,
      updated_at: comment.created_at,
      author_association: "MEMBER",
      body: comment.body,
      reactions: { ...NO_REACTIONS, url: `${commentUrl}/reactions` },
      performed_via_github_app: null,
    },
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
  const repoUrl = common.repository.url;
  const deploymentUrl = `${repoUrl}/deployments/${deploymentId}`;
  return {
    action: "created",
    deployment_status: {
      url: `${deploymentUrl}/statuses/${deploymentId + 1}`,
      id: deploymentId + 1,
      node_id: `DES_${deploymentId + 1}`,
      state: input.state ?? "success",
      creator: common.sender,
      description: "",
      environment: input.environment,
      environment_url: input.url,
      target_url: `${common.repository.html_url}/actions/runs/${deploymentId}`,
      created_at: input.at,
      updated_at: input.at,
      deployment_url: deploymentUrl,
      repository_url: repoUrl,
    },
    deployment: {
      url: deploymentUrl,
      id: deploymentId,
      node_id: `DE_${deploymentId}`,
      sha: input.sha,
      ref: input.ref,
      task: "deploy",
      payload: {},
      original_environment: input.environment,
      environment: input.environment,
      description: null,
      creator: common.sender,
      created_at: input.at,
      updated_at: input.at,
      statuses_url: `${deploymentUrl}/statuses`,
      repository_url: repoUrl,
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
  const html = common.repository.html_url;
  const pusher = { name: common.sender.login, email: `${common.sender.login}@example.com` };
  const author = { ...pusher, username: common.sender.login };
  const commits = (input.commits ?? []).map((c) => ({
    id: c.sha,
    tree_id: c.sha.split("").reverse().join(""),
    distinct: true,
    message: c.message,
    timestamp: githubNow(),
    url: `${html}/commit/${c.sha}`,
    author,
    committer: author,
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
    base_ref: null,
    compare: `${html}/compare/${input.before.slice(0, 12)}...${input.after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    pusher,
    ...base(common),
  };
}

/** `release.published` for a release the simulator published. */
export function releasePayload(release: { tag_name: string; prerelease: boolean }, common: Common) {
  return { action: "published", release, ...base(common) };
}
